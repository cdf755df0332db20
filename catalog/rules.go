package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/routedeck/routedeck/render"
)

// Rule is one condition on a request, as Mockoon's response rules write
// them: a variant whose rules hold is served (package choose evaluates
// them). Target is where the value comes from, Modifier which value there
// (a path, a header or cookie name; a template for "templating"),
// Operator how it compares with Value (itself a template), Invert negates.
type Rule struct {
	Target   string `json:"target"`
	Modifier string `json:"modifier,omitempty"`
	Operator string `json:"operator"`
	Value    string `json:"value,omitempty"`
	Invert   bool   `json:"invert,omitempty"`
}

// RuleTargets are the targets a rule may read.
var RuleTargets = []string{"body", "query", "header", "cookie", "params", "path", "method",
	"request_number", "global_var", "data_bucket", "templating"}

// RuleOperators are the comparisons a rule may make.
var RuleOperators = []string{"equals", "regex", "regex_i", "null", "empty_array", "array_includes", "valid_json_schema"}

// ResponseModes are how a route picks among its variants: "" (rules, then
// the default), RANDOM, SEQUENTIAL, FALLBACK (rules, else no answer: the
// request falls through) and DISABLE_RULES (always the default).
var ResponseModes = []string{"", "RANDOM", "SEQUENTIAL", "FALLBACK", "DISABLE_RULES"}

// checkRules validates a variant's rules, operator and latency.
func checkRules(mv ManifestVariant) error {
	switch mv.RulesOperator {
	case "", "OR", "AND":
	default:
		return fmt.Errorf("rulesOperator %q (want AND or OR)", mv.RulesOperator)
	}
	if mv.Latency < 0 {
		return fmt.Errorf("latency %d ms is negative", mv.Latency)
	}
	for i, r := range mv.Rules {
		if !slices.Contains(RuleTargets, r.Target) {
			return fmt.Errorf("rule %d: unknown target %q (want one of %s)", i+1, r.Target, strings.Join(RuleTargets, ", "))
		}
		if !slices.Contains(RuleOperators, r.Operator) {
			return fmt.Errorf("rule %d: unknown operator %q (want one of %s)", i+1, r.Operator, strings.Join(RuleOperators, ", "))
		}
		if strings.HasPrefix(r.Operator, "regex") && !strings.Contains(r.Value, "{{") {
			if _, err := regexp.Compile(r.Value); err != nil {
				return fmt.Errorf("rule %d: regex %q: %w", i+1, r.Value, err)
			}
		}
	}
	return nil
}

// applyRules copies a manifest variant's rules and latency onto v.
func applyRules(v *Variant, mv ManifestVariant) {
	v.Rules, v.RulesOperator, v.Order = mv.Rules, mv.RulesOperator, mv.Order
	v.Latency = time.Duration(mv.Latency) * time.Millisecond
	if v.RulesOperator == "" {
		v.RulesOperator = "OR"
	}
}

// checkMode validates a route's response mode.
func checkMode(mode string) error {
	if !slices.Contains(ResponseModes, mode) {
		return fmt.Errorf("responseMode %q (want RANDOM, SEQUENTIAL, FALLBACK or DISABLE_RULES)", mode)
	}
	return nil
}

// HasChoice reports whether any route of the catalog picks its variant per
// request (rules or a response mode), or its templates share state (data
// buckets, Mockoon's global variables): such a catalog needs package
// choose to serve as written.
func (c *Catalog) HasChoice() bool {
	if len(c.DataBuckets) > 0 {
		return true
	}
	for _, r := range c.Routes {
		if r.ResponseMode != "" {
			return true
		}
		for _, v := range r.Variants {
			if len(v.Rules) > 0 || v.Templating == render.Mockoon {
				return true
			}
		}
	}
	return false
}

// Header is a header value of the variant for req: a Mockoon variant's
// values that are templates are rendered, as Mockoon renders them (each
// compiled once); any other value, or one that fails, is sent as written.
func (v *Variant) Header(value string, req *render.Request) string {
	if v.Templating != render.Mockoon || !strings.Contains(value, "{{") {
		return value
	}
	cached, ok := v.headerTpls.Load(value)
	if !ok {
		tpl, err := render.CompileDialect(v.File+" (header)", value, render.Mockoon)
		if err != nil {
			tpl = nil
		}
		cached, _ = v.headerTpls.LoadOrStore(value, tpl)
	}
	tpl, _ := cached.(*render.Template)
	if tpl == nil {
		return value
	}
	out, err := tpl.Exec(req)
	if err != nil {
		return value
	}
	return out
}
