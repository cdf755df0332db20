package stripe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// The server reads embed/stripe.json lazily, so that start-up does not pay
// for it: parameter nodes are parsed one by one on first use, and the
// expansion tables on the first expand[]. This relies on the layout the
// generator writes (one node per line, sections on lines of their own);
// TestLazyMatchesParseData holds the two readers together.

// nodeTable holds the nodes as lines of JSON, each parsed once.
type nodeTable struct {
	lines  [][]byte
	parsed []atomic.Pointer[Node]
}

// anyNode accepts anything; it stands in for a node that cannot be read,
// which the tests rule out for the embedded data.
var anyNode = &Node{}

func (t *nodeTable) get(i int) *Node {
	if n := t.parsed[i].Load(); n != nil {
		return n
	}
	n := new(Node)
	line := bytes.TrimSuffix(t.lines[i], []byte(","))
	if err := json.Unmarshal(line, n); err != nil || !t.refsValid(n) {
		n = anyNode
	}
	t.parsed[i].Store(n)
	return n
}

func (t *nodeTable) refsValid(n *Node) bool {
	ok := func(i int) bool { return i >= 0 && i < len(t.lines) }
	valid := ok(n.Items) && ok(n.Extra)
	for _, c := range n.Props {
		valid = valid && ok(c)
	}
	for _, c := range n.AnyOf {
		valid = valid && ok(c)
	}
	return valid
}

// lazyData is Data as the server reads it.
type lazyData struct {
	nodes *nodeTable
	ops   map[string]int
	// tables parses shapes, objects and fixtures on first use.
	tables func() (*Data, error)
}

var errLayout = errors.New("stripe data: unexpected layout (regenerate with go generate ./embed)")

// openData splits the data into its sections without parsing the nodes.
func openData(b []byte) (*lazyData, error) {
	lines := bytes.Split(b, []byte("\n"))
	find := func(from int, line string) int {
		for i := from; i < len(lines); i++ {
			if string(lines[i]) == line {
				return i
			}
		}
		return -1
	}
	nodesAt := find(0, `"nodes":[`)
	nodesEnd := find(nodesAt+1, `],`)
	opsAt := find(nodesEnd+1, `"ops":{`)
	opsEnd := find(opsAt+1, `},`)
	if nodesAt < 0 || nodesEnd < 0 || opsAt < 0 || opsEnd < 0 {
		return nil, errLayout
	}
	d := &lazyData{nodes: &nodeTable{lines: lines[nodesAt+1 : nodesEnd]}}
	d.nodes.parsed = make([]atomic.Pointer[Node], len(d.nodes.lines))
	// The operations are the object from the "{" that ends line opsAt to
	// the "}" that starts line opsEnd, read where they lie in b.
	at := func(line int) int { // the offset of a line in b
		off := 0
		for _, l := range lines[:line] {
			off += len(l) + 1
		}
		return off
	}
	if err := json.Unmarshal(b[at(opsAt)+len(`"ops":`):at(opsEnd)+1], &d.ops); err != nil {
		return nil, fmt.Errorf("stripe data: ops: %w", err)
	}
	for k, i := range d.ops {
		if i <= 0 || i >= len(d.nodes.lines) {
			return nil, fmt.Errorf("stripe data: operation %s refers to a missing node", k)
		}
	}
	d.tables = sync.OnceValues(func() (*Data, error) {
		// Joined when first needed: most runs never expand, and the
		// tables are most of the data.
		rest := append([]byte("{"), bytes.Join(lines[opsEnd+1:], []byte("\n"))...)
		var t Data
		if err := json.Unmarshal(rest, &t); err != nil {
			return nil, fmt.Errorf("stripe data: %w", err)
		}
		return &t, nil
	})
	return d, nil
}
