package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// spec is the part of Stripe's OpenAPI document the generator reads.
type spec struct {
	version string
	schemas map[string]any
	// ops maps "METHOD shape" (params as *) to the operation.
	ops map[string]specOp
}

type specOp struct {
	path string
	op   map[string]any
}

var paramRE = regexp.MustCompile(`\{[^}]+\}|:[^/]+`)

// shape turns /v1/customers/{customer} and /v1/customers/:x into /v1/customers/*.
func shape(p string) string { return paramRE.ReplaceAllString(p, "*") }

func loadSpec(data []byte) (*spec, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("openapi spec: %w", err)
	}
	s := &spec{ops: map[string]specOp{}}
	s.version, _ = obj(doc["info"])["version"].(string)
	s.schemas = obj(obj(doc["components"])["schemas"])
	for p, ops := range obj(doc["paths"]) {
		for m, op := range obj(ops) {
			if o := obj(op); o != nil && o["responses"] != nil {
				s.ops[strings.ToUpper(m)+" "+shape(p)] = specOp{path: p, op: o}
			}
		}
	}
	return s, nil
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func refName(s map[string]any) string {
	r, _ := s["$ref"].(string)
	return strings.TrimPrefix(r, "#/components/schemas/")
}

// resolve follows a $ref.
func (s *spec) resolve(sc map[string]any) map[string]any {
	for i := 0; i < 8; i++ {
		name := refName(sc)
		if name == "" {
			return sc
		}
		sc = obj(s.schemas[name])
	}
	return sc
}

// scalarType is the JSON type of a scalar schema ("" for objects, arrays
// and unknowns); for anyOf it is the first member's type.
func (s *spec) scalarType(sc map[string]any) string {
	sc = s.resolve(sc)
	if sc == nil {
		return ""
	}
	if any := list(sc["anyOf"]); len(any) > 0 {
		return s.scalarType(obj(any[0]))
	}
	switch t, _ := sc["type"].(string); t {
	case "string", "integer", "number", "boolean":
		return t
	}
	return ""
}

// response200 returns the 200 response's content type and schema.
func response200(op map[string]any) (string, map[string]any) {
	content := obj(obj(obj(op["responses"])["200"])["content"])
	if c, ok := content["application/json"]; ok {
		return "application/json", obj(obj(c)["schema"])
	}
	for ct, c := range content {
		return ct, obj(obj(c)["schema"])
	}
	return "", nil
}

// formParams returns the operation's form parameters: name → scalar type
// ("map" for metadata-like string maps), and the required ones.
func (s *spec) formParams(op map[string]any) (map[string]string, []string) {
	sc := obj(obj(obj(obj(op["requestBody"])["content"])["application/x-www-form-urlencoded"])["schema"])
	out := map[string]string{}
	for name, p := range obj(sc["properties"]) {
		if t := s.scalarType(obj(p)); t != "" {
			out[name] = t
		} else if name == "metadata" {
			out[name] = "map"
		}
	}
	var req []string
	for _, r := range list(sc["required"]) {
		if n, ok := r.(string); ok {
			req = append(req, n)
		}
	}
	return out, req
}

// hasQueryParam reports whether the operation takes the query parameter.
func hasQueryParam(op map[string]any, name string) bool {
	for _, p := range list(op["parameters"]) {
		pm := obj(p)
		if pm["in"] == "query" && pm["name"] == name {
			return true
		}
	}
	return false
}
