package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPythonClientOffsets generates a Python client from the proto (Debian's
// protoc and grpc_python_plugin) and checks, from Python, that code-point
// offsets slice Python strings exactly.
func TestPythonClientOffsets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const python = "/usr/bin/python3" // Debian's, which has python3-grpcio
	for _, tool := range []string{python, "protoc", "grpc_python_plugin"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found: .ci/run installs python3-grpcio, python3-protobuf, protobuf-compiler and protobuf-compiler-grpc", tool)
			}
			t.Skipf("%s not found (apt install python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc)", tool)
		}
	}
	stubs := t.TempDir()
	plugin, _ := exec.LookPath("grpc_python_plugin")
	gen := exec.Command("protoc", "-I", "../../api", "-I", "/usr/include",
		"--python_out="+stubs, "--grpc_python_out="+stubs, "--plugin=protoc-gen-grpc_python="+plugin,
		"stance/v1/stance.proto")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v\n%s", err, out)
	}
	_, addr, _ := startServe(t, buildBinary(t))
	out, err := exec.Command(python, filepath.Join("..", "..", "testdata", "python", "offsets_client.py"), stubs, addr).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok") {
		t.Fatalf("python client: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
