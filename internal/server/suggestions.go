package server

import (
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// rulesWithoutSuggestions returns GraphQL's validation rules with every
// rule that suggests names ("Did you mean ...?") replaced by its variant
// that does not. gqlgen's SetDisableSuggestion replaces only two of them
// (fields and scalar leaves), and the others would reveal argument, type,
// enum value and input field names that disabled introspection hides.
func rulesWithoutSuggestions() *rules.Rules {
	set := rules.NewDefaultRules()
	for _, r := range []struct {
		replaced string
		by       core.Rule
	}{
		{rules.FieldsOnCorrectTypeRule.Name, rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
		{rules.ScalarLeafsRule.Name, rules.ScalarLeafsRuleWithoutSuggestions},
		{rules.KnownArgumentNamesRule.Name, rules.KnownArgumentNamesRuleWithoutSuggestions},
		{rules.KnownTypeNamesRule.Name, rules.KnownTypeNamesRuleWithoutSuggestions},
		{rules.ValuesOfCorrectTypeRule.Name, rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
	} {
		set.RemoveRule(r.replaced)
		set.AddRule(r.by.Name, r.by.RuleFunc)
	}
	return set
}
