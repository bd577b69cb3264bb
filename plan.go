package smdomain

// Change is one field that differs between a spec and the live domain.
type Change struct {
	// Path is the field's stable dotted path as in CreateDomainInput, e.g.
	// "DefaultUserSettings.SecurityGroups" or "Tags.Project".
	Path string
	// From is the live value (nil when the field is absent) and To the
	// spec's (nil when the change removes it). Values are in their JSON form:
	// string, bool, json.Number, []any or map[string]any.
	From, To any
	// ForcesReplacement is true when UpdateDomain cannot make the change.
	ForcesReplacement bool
}
