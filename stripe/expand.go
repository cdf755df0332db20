package stripe

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
)

// Objects supplies the object an expanded id stands for: the fixtures,
// or the objects requests stored (StoreObjects).
type Objects interface {
	// Object returns the JSON of a resource (a schema name such as
	// "customer") with the given id; id is "" when the field was null.
	Object(resource, id string) ([]byte, bool)
}

// fixtureObjects answers with the spec's fixtures, their id set to the
// one being expanded.
type fixtureObjects struct{ d *Data }

func (f fixtureObjects) Object(resource, id string) ([]byte, bool) {
	raw, ok := f.d.Fixtures[resource]
	if !ok {
		return nil, false
	}
	if id == "" {
		return raw, true
	}
	s, found, err := member(raw, "id")
	if err != nil || !found {
		return raw, true
	}
	q, _ := json.Marshal(id)
	return splice(raw, s, q), true
}

// expandPaths reads expand[]=a, expand[0]=a and expand=a from form
// pairs, in their order.
func expandPaths(form []render.FormPair) []string {
	var out []string
	for _, p := range form {
		k := p.Key
		if !strings.HasPrefix(k, "expand") {
			continue
		}
		if inner := k[len("expand"):]; inner != "" {
			if len(inner) < 2 || inner[0] != '[' || inner[len(inner)-1] != ']' || strings.Trim(inner[1:len(inner)-1], "0123456789") != "" {
				continue
			}
		}
		out = append(out, p.Value)
	}
	return out
}

// expandPathsJSON reads "expand": [...] from a JSON body.
func expandPathsJSON(v any) []string {
	m, _ := v.(map[string]any)
	list, _ := m["expand"].([]any)
	var out []string
	for _, p := range list {
		if s, ok := p.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pathTree holds dotted paths by segment: a.b and a.c become a{b,c}.
type pathTree map[string]pathTree

func newPathTree(paths []string) pathTree {
	t := pathTree{}
	for _, p := range paths {
		node := t
		for _, seg := range strings.Split(p, ".") {
			next, ok := node[seg]
			if !ok {
				next = pathTree{}
				node[seg] = next
			}
			node = next
		}
	}
	return t
}

type expander struct {
	d       *Data
	objects Objects
	names   map[string]string // schema name → object value
	// strict refuses a path Stripe cannot expand; otherwise the path is
	// skipped with a warning, as stripe-mock ignores it.
	strict bool
}

// expansion is one request's expand[]: the paths skipped are warnings.
type expansion struct {
	*expander
	warnings []string
}

// cannot refuses a path (strict) or notes it as a warning and returns nil.
func (x *expansion) cannot(path, hint string) *server.APIError {
	if x.strict {
		return cannotExpand(path, hint)
	}
	x.warnings = append(x.warnings, "cannot expand "+path)
	return nil
}

func cannotExpand(path, hint string) *server.APIError {
	msg := "This property cannot be expanded (" + path + ")."
	if hint != "" {
		msg += " You may want to try expanding '" + hint + "' instead."
	}
	return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Message: msg}
}

// includable are the fields Stripe leaves out of a body unless expand[]
// names them, though they hold an object rather than an id, by the
// shape they are in: Stripe's subscription guide expands
// latest_invoice.confirmation_secret. routedeck's bodies always hold
// them, so expanding them changes nothing, and --strict accepts it.
var includable = map[string]map[string]bool{"invoice": {"confirmation_secret": true}}

// expand applies paths to a rendered body. A body that is not a JSON
// object is returned as it is.
func (x *expansion) expand(body []byte, paths []string) ([]byte, *server.APIError) {
	s, found, err := member(body, "object")
	if err != nil || !found {
		return body, nil
	}
	t := newPathTree(paths)
	var out []byte
	var apiErr *server.APIError
	switch obj := stringValue(body, s); obj {
	case "list", "search_result":
		for _, seg := range slices.Sorted(mapKeys(t)) {
			if seg != "data" {
				if e := x.cannot(seg, "data."+seg); e != nil {
					return nil, e
				}
				delete(t, seg)
			}
		}
		out, apiErr = x.listData(body, "", t["data"], "data.")
	default:
		out, apiErr = x.object(body, x.d.Objects[obj], t, "")
	}
	if apiErr != nil {
		return nil, apiErr
	}
	return out, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// object expands t in the object b of the given shape; at is the path so far.
func (x *expansion) object(b []byte, shape string, t pathTree, at string) ([]byte, *server.APIError) {
	fields := x.d.Shapes[shape]
	for _, key := range slices.Sorted(mapKeys(t)) {
		f, ok := fields[key]
		if !ok && len(t[key]) == 0 && includable[shape][key] {
			continue // routedeck's bodies always hold it
		}
		if !ok {
			if e := x.cannot(at+key, ""); e != nil {
				return nil, e
			}
			continue
		}
		sub := t[key]
		s, found, err := member(b, key)
		if err != nil {
			return b, nil
		}
		var cur []byte
		if found {
			cur = b[s.start:s.end]
		}
		val, apiErr := x.field(b, f, cur, sub, at+key+".", key)
		if apiErr != nil {
			return nil, apiErr
		}
		if val == nil {
			continue
		}
		if found {
			b = splice(b, s, val)
		} else if b, err = addMember(b, key, val); err != nil {
			return nil, cannotExpand(at+key, "")
		}
	}
	return b, nil
}

// field returns the new value of one field (nil: leave it), given its
// current value cur (nil when absent) in the parent object.
func (x *expansion) field(parent []byte, f Field, cur []byte, sub pathTree, at, key string) ([]byte, *server.APIError) {
	isNull := cur == nil || string(cur) == "null"
	switch {
	case f.Item != "":
		if isNull {
			cur = x.newList(parent, f.Item, key)
		}
		if len(sub) == 0 {
			return cur, nil
		}
		for _, seg := range slices.Sorted(mapKeys(sub)) {
			if seg != "data" {
				if e := x.cannot(at+seg, ""); e != nil {
					return nil, e
				}
			}
		}
		return x.listData(cur, f.Item, sub["data"], at+"data.")
	case f.To != "" && f.Array:
		if isNull {
			return nil, nil
		}
		return x.eachElement(cur, func(el []byte) ([]byte, *server.APIError) {
			return x.one(f.To, el, sub, at)
		})
	case f.To != "":
		return x.one(f.To, cur, sub, at)
	case f.In != "":
		if isNull || len(sub) == 0 {
			return nil, nil
		}
		if f.Array {
			return x.eachElement(cur, func(el []byte) ([]byte, *server.APIError) {
				return x.object(el, f.In, sub, at)
			})
		}
		return x.object(cur, f.In, sub, at)
	}
	return nil, nil
}

// one expands an id (or null) into the resource's object, then expands
// the paths below it.
func (x *expansion) one(resource string, cur []byte, sub pathTree, at string) ([]byte, *server.APIError) {
	var obj []byte
	if c := bytes.TrimSpace(cur); len(c) > 0 && c[0] == '{' {
		obj = c // already an object
	} else {
		id := ""
		if len(cur) > 0 {
			id = stringValue(cur, span{0, len(cur)})
		}
		var ok bool
		if obj, ok = x.objects.Object(resource, id); !ok {
			obj = x.stub(resource, id)
		}
	}
	if len(sub) == 0 {
		return obj, nil
	}
	return x.object(obj, resource, sub, at)
}

// stub stands in for a resource the spec has no fixture of.
func (x *expander) stub(resource, id string) []byte {
	name := x.names[resource]
	if name == "" {
		name = resource
	}
	b, _ := json.Marshal(struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}{id, name})
	return b
}

// newList builds the list object of a field that is absent until
// expanded, such as a checkout session's line_items.
func (x *expansion) newList(parent []byte, item, key string) []byte {
	id, object := "", ""
	if s, ok, _ := member(parent, "id"); ok {
		id = stringValue(parent, s)
	}
	if s, ok, _ := member(parent, "object"); ok {
		object = stringValue(parent, s)
	}
	el, ok := x.objects.Object(item, "")
	if !ok {
		el = x.stub(item, "")
	}
	url := "/v1/" + strings.ReplaceAll(object, ".", "/") + "s/" + id + "/" + key
	u, _ := json.Marshal(url)
	return []byte(`{"object":"list","data":[` + string(el) + `],"has_more":false,"url":` + string(u) + `}`)
}

// listData expands t in every element of a list object's data; item is
// the elements' shape ("" to read it from each element's "object").
func (x *expansion) listData(list []byte, item string, t pathTree, at string) ([]byte, *server.APIError) {
	if len(t) == 0 {
		return list, nil
	}
	s, found, err := member(list, "data")
	if err != nil || !found {
		return list, nil
	}
	data, apiErr := x.eachElement(list[s.start:s.end], func(el []byte) ([]byte, *server.APIError) {
		shape := item
		if os, ok, _ := member(el, "object"); ok {
			if o := x.d.Objects[stringValue(el, os)]; o != "" {
				shape = o
			}
		}
		return x.object(el, shape, t, at)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	return splice(list, s, data), nil
}

// eachElement applies f to each element of an array, in place, so that
// the array keeps its layout.
func (x *expansion) eachElement(arr []byte, f func([]byte) ([]byte, *server.APIError)) ([]byte, *server.APIError) {
	els, err := elements(arr)
	if err != nil {
		return arr, nil // not an array: left as it is
	}
	for i := len(els) - 1; i >= 0; i-- {
		s := els[i]
		v, apiErr := f(arr[s.start:s.end])
		if apiErr != nil {
			return nil, apiErr
		}
		arr = splice(arr, s, v)
	}
	return arr, nil
}
