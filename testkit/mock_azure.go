package testkit

import "fmt"

// FakeAzureSubscriptionID is the subscription every mocked Azure resource ID belongs to.
const FakeAzureSubscriptionID = "00000000-0000-0000-0000-000000000000"

func init() { cloudMocks["azure-native"] = azureMock }

// azureMock gives every Azure resource an ARM-shaped ID. The Azure stack refines it.
func azureMock(r *Resource, region string) (string, map[string]any) {
	rg, _ := r.Input("resourceGroupName").(string)
	if rg == "" {
		rg = "rg"
	}
	name := r.Name
	id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", FakeAzureSubscriptionID, rg, r.Type, name)
	return id, map[string]any{"id": id, "name": name}
}
