package testkit

import "fmt"

// FakeGCPProject is the project mocked Google Cloud resources belong to when none is set.
const FakeGCPProject = "scalestack-test"

func init() { cloudMocks["gcp"] = gcpMock }

// gcpMock gives every Google Cloud resource a self link. The GCP stack refines it.
func gcpMock(r *Resource, region string) (string, map[string]any) {
	project, _ := r.Input("project").(string)
	if project == "" {
		project = FakeGCPProject
	}
	name := r.Name
	if s, ok := r.Input("name").(string); ok && s != "" {
		name = s
	}
	id := fmt.Sprintf("projects/%s/global/%s/%s", project, r.Type, name)
	return id, map[string]any{"id": id, "name": name, "selfLink": "https://www.googleapis.com/compute/v1/" + id}
}
