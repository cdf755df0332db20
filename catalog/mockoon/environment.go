package mockoon

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	// A 4 MB environment decodes in a third of encoding/json's time, which
	// the first frame waits for (BenchmarkFirstFrame4MB).
	json "github.com/goccy/go-json"
)

// LatestMigration is the newest Mockoon file format this importer knows
// (Mockoon 9). Files from 17 (Mockoon 1.15) on are read; missing fields
// take Mockoon's defaults, as its own migrations fill them.
const LatestMigration = 33

// environment is the part of Mockoon's environment model the importer
// reads (packages/commons: Environment, Route, RouteResponse).
type environment struct {
	UUID           string     `json:"uuid"`
	LastMigration  int        `json:"lastMigration"`
	Name           string     `json:"name"`
	EndpointPrefix string     `json:"endpointPrefix"`
	Latency        int        `json:"latency"`
	Port           int        `json:"port"`
	Routes         []*route   `json:"routes"`
	ProxyMode      bool       `json:"proxyMode"`
	ProxyHost      string     `json:"proxyHost"`
	Headers        []header   `json:"headers"`
	Data           []bucket   `json:"-"` // "data", read by parse
	Callbacks      []struct{} `json:"callbacks"`
	TLSOptions     struct {
		Enabled bool `json:"enabled"`
	} `json:"tlsOptions"`
	HTTPS bool `json:"https"` // before migration 19
}

type header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type bucket struct {
	UUID  string `json:"uuid"`
	ID    string `json:"id"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type route struct {
	UUID          string      `json:"uuid"`
	Type          string      `json:"type"` // http, crud, ws
	Documentation string      `json:"documentation"`
	Method        string      `json:"method"`
	Endpoint      string      `json:"endpoint"`
	Responses     []*response `json:"responses"`
	ResponseMode  *string     `json:"responseMode"`
	Enabled       *bool       `json:"enabled"` // before migration 31

	// Before migration 21.
	RandomResponse     bool `json:"randomResponse"`
	SequentialResponse bool `json:"sequentialResponse"`

	// Before migration 6, a route was its one response.
	Body       *string         `json:"body"`
	StatusCode json.RawMessage `json:"statusCode"`
	Headers    []header        `json:"headers"`
	FilePath   string          `json:"filePath"`
}

type response struct {
	UUID              string          `json:"uuid"`
	Body              string          `json:"body"`
	Latency           int             `json:"latency"`
	StatusCode        json.RawMessage `json:"statusCode"` // a string before migration 11
	Label             string          `json:"label"`
	Headers           []header        `json:"headers"`
	BodyType          string          `json:"bodyType"` // INLINE, FILE, DATABUCKET
	FilePath          string          `json:"filePath"`
	DatabucketID      string          `json:"databucketID"`
	Rules             []rule          `json:"rules"`
	RulesOperator     string          `json:"rulesOperator"` // OR (default) or AND
	DisableTemplating bool            `json:"disableTemplating"`
	Default           *bool           `json:"default"` // from migration 20
	Callbacks         []struct{}      `json:"callbacks"`

	status int
	order  int // 1-based place among the route's responses
}

// rule is a response rule as Mockoon writes it; files before the
// operator field have isRegex instead.
type rule struct {
	Target   string  `json:"target"`
	Modifier string  `json:"modifier"`
	Value    *string `json:"value"`
	Invert   bool    `json:"invert"`
	Operator string  `json:"operator"`
	IsRegex  bool    `json:"isRegex"`
}

// Detect reports whether data is a Mockoon environment, bare or wrapped.
func Detect(data []byte) bool {
	_, err := parse(data, func(string, ...any) {})
	return !errors.Is(err, ErrNotMockoon)
}

// ErrNotMockoon says a file is JSON but not a Mockoon environment.
var ErrNotMockoon = errors.New("not a Mockoon environment")

// file is both shapes a Mockoon file has, decoded in one pass: a bare
// environment, or the export wrapper (whose "data" holds the items where
// an environment's holds its data buckets).
type file struct {
	environment
	Source string          `json:"source"`
	Data   json.RawMessage `json:"data"`
}

// parse decodes a bare environment or the first environment of an export
// wrapper, and fills what older formats lack.
func parse(data []byte, warn func(string, ...any)) (*environment, error) {
	f := file{environment: environment{LastMigration: -1, Port: 3000}}
	if err := json.Unmarshal(data, &f); err != nil {
		var te *json.UnmarshalTypeError
		if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) || asError(err, &te) && te.Field == "" {
			return nil, ErrNotMockoon
		}
		return nil, jsonError(data, err)
	}
	env := &f.environment
	switch {
	case strings.HasPrefix(f.Source, "mockoon:"):
		var err error
		if env, err = unwrap(f.Data, warn); err != nil {
			return nil, err
		}
	case f.Routes == nil || f.LastMigration < 0 && f.UUID == "":
		return nil, ErrNotMockoon
	default:
		if len(f.Data) > 0 && string(f.Data) != "null" {
			if err := json.Unmarshal(f.Data, &env.Data); err != nil {
				return nil, fmt.Errorf("data buckets: %w", jsonError(f.Data, err))
			}
		}
	}
	if env.LastMigration > LatestMigration {
		warn("lastMigration %d is newer than the Mockoon format routedeck knows (%d): fields it does not know are ignored", env.LastMigration, LatestMigration)
	}
	if env.HTTPS {
		env.TLSOptions.Enabled = true
	}
	for i, r := range env.Routes {
		if r == nil {
			return nil, fmt.Errorf("route %d is null", i+1)
		}
		if err := r.normalize(env.LastMigration); err != nil {
			return nil, fmt.Errorf("route %d (%s %s): %w", i+1, r.Method, r.Endpoint, err)
		}
	}
	return env, nil
}

// unwrap finds the environment in an export's items (or builds one of
// exported routes alone).
func unwrap(items json.RawMessage, warn func(string, ...any)) (*environment, error) {
	var w []struct {
		Type string          `json:"type"`
		Item json.RawMessage `json:"item"`
	}
	if err := json.Unmarshal(items, &w); err != nil {
		return nil, fmt.Errorf("Mockoon export: %w", jsonError(items, err))
	}
	var raw json.RawMessage
	var routes []json.RawMessage
	for _, d := range w {
		switch {
		case d.Type == "environment" && raw == nil:
			raw = d.Item
		case d.Type == "environment":
			warn("the export holds more environments; routedeck opened the first")
		case d.Type == "route":
			routes = append(routes, d.Item)
		}
	}
	if raw == nil && len(routes) > 0 {
		items, err := json.Marshal(routes)
		if err != nil {
			return nil, fmt.Errorf("Mockoon export: %w", err)
		}
		raw = []byte(`{"lastMigration": 0, "name": "Mockoon routes", "routes": ` + string(items) + `}`)
	}
	if raw == nil {
		return nil, errors.New("Mockoon export holds no environment")
	}
	env := &environment{LastMigration: -1, Port: 3000}
	if err := json.Unmarshal(raw, env); err != nil {
		return nil, fmt.Errorf("Mockoon export: %w", jsonError(raw, err))
	}
	return env, nil
}

// normalize applies what Mockoon's migrations would: responses for routes
// older than them, numeric statuses, a default response, the body type,
// today's Faker names.
func (r *route) normalize(lastMigration int) error {
	r.Method = strings.ToLower(strings.TrimSpace(r.Method))
	if r.Method == "" {
		r.Method = "get"
	}
	if r.Type == "" {
		r.Type = "http"
	}
	if r.Responses == nil && r.Body != nil {
		r.Responses = []*response{{Body: *r.Body, StatusCode: r.StatusCode, Headers: r.Headers, FilePath: r.FilePath}}
	}
	if r.ResponseMode == nil {
		switch {
		case r.SequentialResponse:
			mode := "SEQUENTIAL"
			r.ResponseMode = &mode
		case r.RandomResponse:
			mode := "RANDOM"
			r.ResponseMode = &mode
		}
	}
	for i, res := range r.Responses {
		if res == nil {
			return fmt.Errorf("response %d is null", i+1)
		}
		status, err := parseStatus(res.StatusCode)
		if err != nil {
			return fmt.Errorf("response %d: %w", i+1, err)
		}
		res.status = status
		res.order = i + 1
		for k := range res.Rules {
			ru := &res.Rules[k]
			if ru.Operator == "" {
				ru.Operator = "equals"
				if ru.IsRegex {
					ru.Operator = "regex"
				}
			}
		}
		if res.Default == nil {
			first := i == 0
			res.Default = &first
		}
		if res.BodyType == "" {
			res.BodyType = "INLINE"
			if res.FilePath != "" {
				res.BodyType = "FILE"
			}
		}
		if lastMigration < 29 {
			res.Body = renameFakers(res.Body)
		}
	}
	return nil
}

// parseStatus reads a status written as a number or, before migration 11,
// a string; none is 200.
func parseStatus(raw json.RawMessage) (int, error) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 200, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 || n > 599 {
		return 0, fmt.Errorf("statusCode %s is not an HTTP status", raw)
	}
	return n, nil
}

// jsonError adds a line number to a JSON error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asError(err, &se):
		return fmt.Errorf("line %d: %v", 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")), err)
	case asError(err, &te):
		return fmt.Errorf("line %d: field %s: want %s, not %s", 1+bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")), te.Field, te.Type, te.Value)
	}
	return err
}
