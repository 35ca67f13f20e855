package azureregions

import "sort"

// Source says where Known comes from, for error messages.
const Source = "providers/azureregions.Known: the programmatic names of Microsoft's Azure regions list (https://learn.microsoft.com/azure/reliability/regions-list, `az account list-locations`), public cloud, as of 2025"

// known are the programmatic names of the Azure public cloud's regions, as Microsoft's
// "Azure regions list" (https://learn.microsoft.com/azure/reliability/regions-list) and
// `az account list-locations` gave them in 2025. Regions with restricted access (such as
// australiacentral2 or switzerlandwest) are included: access is granted per subscription.
// Not included: the EUAP canary locations, logical locations (global, us, europe...) and
// sovereign clouds (Azure Government, Azure operated by 21Vianet), which need another ARM
// endpoint than the stack's providers use.
var known = []string{
	// Americas
	"brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralus", "chilecentral",
	"eastus", "eastus2", "mexicocentral", "northcentralus", "southcentralus", "westcentralus",
	"westus", "westus2", "westus3",
	// Europe
	"austriaeast", "belgiumcentral", "francecentral", "francesouth", "germanynorth",
	"germanywestcentral", "italynorth", "northeurope", "norwayeast", "norwaywest",
	"polandcentral", "spaincentral", "swedencentral", "swedensouth", "switzerlandnorth",
	"switzerlandwest", "uksouth", "ukwest", "westeurope",
	// Asia Pacific
	"australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
	"centralindia", "eastasia", "indonesiacentral", "japaneast", "japanwest", "jioindiacentral",
	"jioindiawest", "koreacentral", "koreasouth", "malaysiawest", "newzealandnorth",
	"southeastasia", "southindia", "westindia",
	// Middle East and Africa
	"israelcentral", "qatarcentral", "southafricanorth", "southafricawest", "uaecentral",
	"uaenorth",
}

// Known lists every Azure location a stack may be placed in, sorted.
func Known() []string {
	out := append([]string(nil), known...)
	sort.Strings(out)
	return out
}

// IsKnown reports whether location is an Azure location in Known.
func IsKnown(location string) bool {
	for _, l := range known {
		if l == location {
			return true
		}
	}
	return false
}
