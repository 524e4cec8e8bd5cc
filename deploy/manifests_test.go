// Package deploy holds the Kubernetes manifests of the service; its test
// validates them against the Kubernetes API types.
package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// decode reads a manifest strictly: an unknown field is an error, as
// kubectl's server-side validation would report it.
func decode(t *testing.T, name string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("\n---")) {
		t.Fatalf("%s: one object a file, please", name)
	}
	if err := yaml.UnmarshalStrict(b, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestManifests(t *testing.T) {
	var dep appsv1.Deployment
	var svc corev1.Service
	var hpa autoscalingv2.HorizontalPodAutoscaler
	var pdb policyv1.PodDisruptionBudget
	decode(t, "deployment.yaml", &dep)
	decode(t, "service.yaml", &svc)
	decode(t, "hpa.yaml", &hpa)
	decode(t, "pdb.yaml", &pdb)

	for _, x := range []struct{ kind, want, got string }{
		{"Deployment", "apps/v1/Deployment", dep.APIVersion + "/" + dep.Kind},
		{"Service", "v1/Service", svc.APIVersion + "/" + svc.Kind},
		{"HorizontalPodAutoscaler", "autoscaling/v2/HorizontalPodAutoscaler", hpa.APIVersion + "/" + hpa.Kind},
		{"PodDisruptionBudget", "policy/v1/PodDisruptionBudget", pdb.APIVersion + "/" + pdb.Kind},
	} {
		if x.got != x.want {
			t.Errorf("%s is %s", x.kind, x.got)
		}
	}
	pod := dep.Spec.Template.Labels
	matches := func(sel map[string]string) bool {
		for k, v := range sel {
			if pod[k] != v {
				return false
			}
		}
		return len(sel) > 0
	}
	if !matches(dep.Spec.Selector.MatchLabels) || !matches(svc.Spec.Selector) || !matches(pdb.Spec.Selector.MatchLabels) {
		t.Error("a selector does not match the pod labels")
	}
	if svc.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Error("the service must be headless for client-side balancing over dns:///")
	}
	c := dep.Spec.Template.Spec.Containers[0]
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.GRPC == nil || p.GRPC.Port != 50051 {
			t.Errorf("%s probe is not a gRPC health check on 50051", name)
		}
	}
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != dep.Name {
		t.Error("the autoscaler does not target the deployment")
	}
	if g := dep.Spec.Template.Spec.TerminationGracePeriodSeconds; g == nil || *g < 25 {
		t.Error("the grace period must outlast the 20 s drain")
	}
}
