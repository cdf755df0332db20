package stripe

// Webhook endpoints: with StateOptions.Endpoints set, the State answers
// /v1/webhook_endpoints itself, from a webhook.Registry, so that an
// endpoint registered through the API (as a Stripe client does it) receives
// the events this State raises: POST creates (url, enabled_events, "*" for
// all; the answer alone holds the whsec_ secret that signs its
// deliveries), GET lists and retrieves, POST /:id updates (url,
// enabled_events, disabled=true|false), DELETE removes. description and
// metadata are echoed on create but not kept.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/webhook"
)

const endpointsPath = "/v1/webhook_endpoints"

// endpointJSON is a webhook endpoint in Stripe's shape.
type endpointJSON struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	APIVersion    *string           `json:"api_version"`
	Application   *string           `json:"application"`
	Created       int64             `json:"created"`
	Description   *string           `json:"description"`
	EnabledEvents []string          `json:"enabled_events"`
	Livemode      bool              `json:"livemode"`
	Metadata      map[string]string `json:"metadata"`
	Secret        string            `json:"secret,omitempty"`
	Status        string            `json:"status"`
	URL           string            `json:"url"`
}

func endpointBody(e webhook.Endpoint, withSecret bool) endpointJSON {
	out := endpointJSON{ID: e.ID, Object: "webhook_endpoint", Created: e.Created.Unix(), EnabledEvents: e.EnabledEvents,
		Metadata: map[string]string{}, Status: "enabled", URL: e.URL}
	if e.Disabled {
		out.Status = "disabled"
	}
	if withSecret {
		out.Secret = e.Secret
	}
	return out
}

func jsonAnswer(v any) (server.Answer, *server.APIError) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return server.Answer{}, &server.APIError{Status: http.StatusInternalServerError, Type: "api_error", Message: err.Error()}
	}
	return server.Answer{Body: server.Text(string(b) + "\n")}, nil
}

// enabledEvents reads enabled_events[] (or enabled_events[0]...) from a
// form, or the enabled_events array of a JSON body; nil when absent.
func enabledEvents(req *render.Request) []string {
	if j, ok := req.BodyJSON().(map[string]any); ok {
		list, _ := j["enabled_events"].([]any)
		var out []string
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	var out []string
	form := req.BodyForm()
	keys := make([]string, 0, len(form))
	for k := range form {
		if k == "enabled_events" || strings.HasPrefix(k, "enabled_events[") {
			keys = append(keys, k)
		}
	}
	// enabled_events[0], [1], ... in index order.
	sortIndexed(keys)
	for _, k := range keys {
		out = append(out, form[k]...)
	}
	return out
}

// sortIndexed sorts form keys "x[0]", "x[1]", "x[10]" by their index.
func sortIndexed(keys []string) {
	index := func(k string) int {
		i := strings.IndexByte(k, '[')
		if i < 0 {
			return -1
		}
		n, err := strconv.Atoi(strings.TrimSuffix(k[i+1:], "]"))
		if err != nil {
			return -1
		}
		return n
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && index(keys[j]) < index(keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}

func endpointParamError(err error, param string) *server.APIError {
	return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: param, Message: err.Error()}
}

// endpointsAnswer serves /v1/webhook_endpoints from the registry.
func (s *State) endpointsAnswer(req *render.Request) (server.Answer, *server.APIError, bool) {
	if s.endpoints == nil || (req.Path != endpointsPath && !strings.HasPrefix(req.Path, endpointsPath+"/")) {
		return server.Answer{}, nil, false
	}
	id := strings.TrimPrefix(strings.TrimPrefix(req.Path, endpointsPath), "/")
	if strings.Contains(id, "/") {
		return server.Answer{}, nil, false
	}
	reg := s.endpoints
	switch {
	case id == "" && req.Method == http.MethodPost:
		u, _ := req.BodyValue("url")
		events := enabledEvents(req)
		if len(events) == 0 {
			return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: "enabled_events",
				Message: "Missing required param: enabled_events."}, true
		}
		if u == "" {
			return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: "url",
				Message: "Missing required param: url."}, true
		}
		e, err := reg.Add(webhook.EndpointParams{URL: u, EnabledEvents: events})
		if err != nil {
			return server.Answer{}, endpointParamError(err, "url"), true
		}
		body := endpointBody(e, true)
		if d, ok := req.BodyValue("description"); ok {
			body.Description = &d
		}
		if m, ok := req.BodyMap("metadata"); ok {
			body.Metadata = m
		}
		ans, refused := jsonAnswer(body)
		return ans, refused, true
	case id == "" && req.Method == http.MethodGet:
		all := reg.List()
		limit := 10
		if v, ok := req.QueryValue("limit"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				return server.Answer{}, invalidParam("limit", "Invalid limit: must be between 1 and 100"), true
			}
			limit = n
		}
		data := make([]endpointJSON, 0, len(all))
		for i := len(all) - 1; i >= 0; i-- { // newest first
			data = append(data, endpointBody(all[i], false))
		}
		more := len(data) > limit
		if more {
			data = data[:limit]
		}
		ans, refused := jsonAnswer(map[string]any{"object": "list", "data": data, "has_more": more, "url": endpointsPath})
		return ans, refused, true
	}
	e, ok := reg.Get(id)
	if !ok {
		if !s.strict {
			// An endpoint never registered gets the catalog's answer, as
			// any other id never stored does (stripe-mock compatible).
			return server.Answer{}, nil, false
		}
		return server.Answer{}, missing("webhook_endpoint", id, "id"), true
	}
	switch req.Method {
	case http.MethodGet:
		ans, refused := jsonAnswer(endpointBody(e, false))
		return ans, refused, true
	case http.MethodDelete:
		reg.Remove(id)
		ans, refused := jsonAnswer(map[string]any{"id": id, "object": "webhook_endpoint", "deleted": true})
		return ans, refused, true
	case http.MethodPost:
		var u webhook.EndpointUpdate
		if v, ok := req.BodyValue("url"); ok {
			u.URL = &v
		}
		if ev := enabledEvents(req); ev != nil {
			u.EnabledEvents = ev
		}
		if v, ok := req.BodyValue("disabled"); ok {
			d := v == "true"
			u.Disabled = &d
		}
		e, err := reg.Update(id, u)
		if err != nil {
			return server.Answer{}, endpointParamError(err, "url"), true
		}
		ans, refused := jsonAnswer(endpointBody(e, false))
		return ans, refused, true
	}
	return server.Answer{}, nil, false
}
