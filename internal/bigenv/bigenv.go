// Package bigenv writes the 4 MB Mockoon environment the start-up targets
// are measured on: the routes of the shared test environments, copied
// under their own prefixes until the file holds 4 MB. Benchmarks use it.
package bigenv

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Size is the environment's least size in bytes.
const Size = 4 << 20

// Write builds the environment from the *.json environments in envDir and
// writes it to outDir/big.json. It returns the file and its route count.
func Write(envDir, outDir string) (file string, routes int, err error) {
	files, err := filepath.Glob(filepath.Join(envDir, "*.json"))
	if err != nil || len(files) == 0 {
		return "", 0, fmt.Errorf("bigenv: no environments in %s", envDir)
	}
	envs := make(map[string][]map[string]any, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", 0, fmt.Errorf("bigenv: %w", err)
		}
		var env struct {
			Routes []map[string]any `json:"routes"`
		}
		if err := json.Unmarshal(data, &env); err != nil {
			return "", 0, fmt.Errorf("bigenv: %s: %w", f, err)
		}
		envs[f] = env.Routes
	}
	var all []json.RawMessage
	size := 0
	for copyN := 0; size < Size; copyN++ {
		for _, f := range files {
			for _, r := range envs[f] {
				c := make(map[string]any, len(r))
				for k, v := range r {
					c[k] = v
				}
				c["endpoint"] = fmt.Sprintf("c%d/%s/%v", copyN, strings.TrimSuffix(filepath.Base(f), ".json"), r["endpoint"])
				raw, err := json.Marshal(c)
				if err != nil {
					return "", 0, fmt.Errorf("bigenv: %w", err)
				}
				all = append(all, raw)
				size += len(raw)
			}
		}
	}
	list, err := json.Marshal(all)
	if err != nil {
		return "", 0, fmt.Errorf("bigenv: %w", err)
	}
	file = filepath.Join(outDir, "big.json")
	env := `{"uuid": "big", "lastMigration": 33, "name": "Big", "routes": ` + string(list) + `}`
	if err := os.WriteFile(file, []byte(env), 0o644); err != nil {
		return "", 0, fmt.Errorf("bigenv: %w", err)
	}
	return file, len(all), nil
}
