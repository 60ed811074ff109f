package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Enums. The executor marshals an Ent enum (a partnership's status) by
// returning the value, boxed, whose MarshalGQL quotes it anew. Where
// Ent's code for the enum shows that it marshals as its value quoted,
// entEnums points the executor's marshaller at gqlexec.Enum, which keeps
// one marshaller per value.

// enumMarshaller matches the executor's marshaller of a non-null value of
// a type of one of Ent's packages: its package and type.
var enumMarshaller = regexp.MustCompile(`(?m)^(func \(ec \*executionContext\) marshalN[\w\p{L}]+\(ctx context\.Context, sel ast\.SelectionSet, v (\w+)\.(\w+)\) graphql\.Marshaler \{\n)\treturn v\n\}$`)

// entEnumDir is where Ent's code for the types of a package is, relative
// to the repository root.
const entEnumDir = "ent"

// entEnums rewrites the marshallers in src of the Ent enums whose code
// marshals them as their quoted value.
func entEnums(src []byte) ([]byte, error) {
	rewritten := 0
	var failed error
	out := enumMarshaller.ReplaceAllFunc(src, func(m []byte) []byte {
		sub := enumMarshaller.FindSubmatch(m)
		pkg, typ := string(sub[2]), string(sub[3])
		quoted, err := marshalsQuoted(pkg, typ)
		if err != nil {
			failed = err
		}
		if !quoted {
			return m
		}
		rewritten++
		return append(append([]byte{}, sub[1]...), "\treturn gqlexec.Enum(string(v))\n}"...)
	})
	if failed != nil {
		return nil, failed
	}
	if rewritten == 0 {
		return nil, fmt.Errorf("no Ent enum marshals as its quoted value: Ent's output changed, review graph/codegen/enums.go")
	}
	return out, nil
}

// marshalsQuoted reports whether Ent's package pkg defines typ as a
// string whose MarshalGQL writes strconv.Quote(e.String()), and whose
// String returns the value itself.
func marshalsQuoted(pkg, typ string) (bool, error) {
	src, err := os.ReadFile(filepath.Join(entEnumDir, pkg, pkg+".go"))
	if os.IsNotExist(err) {
		return false, nil // not one of Ent's packages
	}
	if err != nil {
		return false, err
	}
	marshal := fmt.Sprintf("func (e %s) MarshalGQL(w io.Writer) {\n\tio.WriteString(w, strconv.Quote(e.String()))\n}", typ)
	str := regexp.MustCompile(fmt.Sprintf(`func \((\w+) %s\) String\(\) string \{\n\treturn string\((\w+)\)\n\}`, typ))
	s := str.FindSubmatch(src)
	return bytes.Contains(src, []byte(marshal)) && s != nil && bytes.Equal(s[1], s[2]) &&
		bytes.Contains(src, []byte(fmt.Sprintf("type %s string", typ))), nil
}
