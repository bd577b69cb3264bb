// Package model holds the constraints of the SageMaker API shapes smdomain
// uses, generated from the public service model, and checks generic JSON
// documents (as produced by internal/wire) against them.
//
// The emulator validates requests with it and the spec validates itself
// with it: one table, one generator. identitycenter.go adds, by hand, the
// few IAM Identity Center shapes the emulator also serves.
package model

//go:generate go run ./gen -model ../../../shared/reference/sagemaker-service-model.json -o shapes_gen.go CreateDomain DescribeDomain UpdateDomain DeleteDomain ListDomains AddTags DeleteTags ListTags CreateUserProfile DescribeUserProfile ListUserProfiles DeleteUserProfile CreateSpace DescribeSpace ListSpaces DeleteSpace UpdateUserProfile UpdateSpace CreatePresignedDomainUrl CreateApp DescribeApp ListApps DeleteApp

// Operation names an operation's input and output shapes and its modelled
// errors.
type Operation struct {
	Input  string
	Output string
	Errors []string
}

// Shape is one shape of the service model with the constraints the service
// enforces on it.
type Shape struct {
	Type    string // structure, union, list, map, string, integer, long, boolean, timestamp, double, float, blob
	Min     *int64 // length (string), count (list, map) or value (number) lower bound
	Max     *int64 // likewise, upper bound
	Pattern string // the service matches the whole value
	Enum    []string
	Members []Member // structures and unions, sorted by name
	Elem    string   // list member or map value shape
	Key     string   // map key shape
}

// Member is a member of a structure.
type Member struct {
	Name     string
	Shape    string
	Required bool
}

func bound(n int64) *int64 { return &n }

// Lookup returns the named shape, or nil.
func Lookup(name string) *Shape { return shapes[name] }

// LookupOperation returns the named operation.
func LookupOperation(name string) (Operation, bool) {
	op, ok := operations[name]
	return op, ok
}

// Member returns the member called name, or false.
func (s *Shape) Member(name string) (Member, bool) {
	for _, m := range s.Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}
