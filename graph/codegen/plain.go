package main

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Plain fields. gqlgen resolves every field through graphql.ResolveField:
// a field context (and, for a field with arguments, a second context, a
// closure and a deferred recover), a context value, a closure for the
// resolver and one for the marshaller, and the field middleware. For a
// field that only reads the object (a struct field, or LocalizedName with
// the field's arguments) and whose value is a leaf that marshals without
// looking at the field (no nested selection, no error path), that work is
// most of the field's cost: on the portal map about a fifth of the Hub's
// processor time. plainFields gives such fields a direct path: the value,
// read from the object, goes straight to its marshaller. Fields with
// arguments parse them through gqlexec.Args; if that fails, they take
// gqlgen's path, which reports the error.
//
// The direct path skips field interceptors (gqlgen's FieldInterceptor
// extensions): they see every other field. No Hub extension is one (tests
// use one to make a root field panic).

// resolveFieldFunc matches a field's marshalling function as gqlgen
// writes it: its name, its field context function, its resolver's body,
// its middleware, the type of its value and its marshaller.
var resolveFieldFunc = regexp.MustCompile(`(?s)^func \(ec \*executionContext\) (_\w+)\(ctx context\.Context, field graphql\.CollectedField, obj \*?[\w.]+\) \(ret graphql\.Marshaler\) \{
	return (graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.(fieldContext_\w+)\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
(.*?)
		\},
		(\S+),
		func\(ctx context\.Context, selections ast\.SelectionSet, v ([^)]*)\) graphql\.Marshaler \{
			return ec\.(marshal[\w\p{L}]+)\(ctx, selections, v\)
		\},
		(true|false),
		(true|false),
	\))
\}$`)

// Resolver bodies of plain fields: a struct field, or a LocalizedName
// method given the field's arguments.
var (
	structFieldRead = regexp.MustCompile(`^\t\t\treturn (obj\.\w+), nil$`)
	localizedRead   = regexp.MustCompile(`^\t\t\tfc := graphql\.GetFieldContext\(ctx\)\n\t\t\treturn (obj\.Localized\w*\([^\n]*\)), nil$`)
	// argsFunc finds the argument parser a field context function calls.
	// (written by the rewrite of cachedArgs).
	argsFunc = regexp.MustCompile(`gqlexec\.Args\(ctx, ec\.OperationContext, field, ec\.Variables, ec\.(field_\w+_args)\)`)
)

// neverNull are the Go types whose marshallers never return null, so that
// a non-null marshaller's error path, which names the field from its field
// context, is never taken: gqlgen's for strings, numbers and booleans, and
// the Hub's for times (gqlexec.MarshalTime writes the zero time too).
var neverNull = map[string]bool{"string": true, "int": true, "int64": true, "bool": true, "float64": true, "time.Time": true}

// plainFields rewrites the plain fields of src (see above) and the object
// fields read from their object (see readField); edgeReads names the
// methods that read a to-one edge as entgql writes them (see
// toOneEdgeReads). It fails if it finds no plain field, as gqlgen's output
// must then have changed.
func plainFields(src []byte, edgeReads map[string]bool) ([]byte, error) {
	x := &executor{src: src, edgeReads: edgeReads, leafSets: map[string][]string{}, usedSets: map[string]bool{}}
	parts := bytes.Split(src, []byte(funcStart))
	fns := make([][]byte, len(parts))
	for i := 1; i < len(parts); i++ {
		fns[i] = leadingFunc(parts[i])
		x.noteLeaf(fns[i])
	}
	rewritten := 0
	for i := 1; i < len(parts); i++ {
		if fns[i] == nil {
			continue
		}
		if direct := x.plainField(fns[i]); direct != nil {
			rest := parts[i][len(fns[i])-len("func (ec *executionContext) _"):]
			parts[i] = append(direct[len("func (ec *executionContext) _"):len(direct)-1], rest...)
			rewritten++
		}
	}
	if rewritten == 0 {
		return nil, fmt.Errorf("no plain field found in the executor: gqlgen's output changed, review graph/codegen/plain.go")
	}
	if x.unparsedArgs != "" {
		return nil, fmt.Errorf("the field context of %s parses its arguments otherwise than plain.go expects: review graph/codegen", x.unparsedArgs)
	}
	return append(bytes.Join(parts, []byte(funcStart)), x.leafSetDecls()...), nil
}

// leadingFunc returns the function that part (the text after a funcStart)
// begins with, funcStart included, or nil.
func leadingFunc(part []byte) []byte {
	end := bytes.Index(part, []byte("\n}\n"))
	if end < 0 && bytes.HasSuffix(part, []byte("\n}")) {
		end = len(part) - 2 // the next function's separator took the newline
	}
	if end < 0 {
		return nil
	}
	return append([]byte("func (ec *executionContext) _"), part[:end+2]...)
}

// executor is what plainFields knows of the generated executor.
type executor struct {
	src       []byte
	edgeReads map[string]bool
	// leafSets are, by GraphQL type, the fields that marshal without any
	// field context (plain struct fields); usedSets those that a leaf
	// path of readField names.
	leafSets map[string][]string
	usedSets map[string]bool
	// unparsedArgs names a localized field whose field context does not
	// parse its arguments through gqlexec.Args as expected.
	unparsedArgs string
}

// noteLeaf adds the field of fn to its type's leaf set when it is a plain
// struct field: its direct path reads no context and cannot fail.
func (x *executor) noteLeaf(fn []byte) {
	m := resolveFieldFunc.FindSubmatch(fn)
	if m == nil || string(m[5]) != "nil" || !leafMarshaller(x.src, string(m[7]), string(m[6])) || !structFieldRead.Match(m[4]) {
		return
	}
	typ, field, ok := strings.Cut(strings.TrimPrefix(string(m[1]), "_"), "_")
	if ok {
		x.leafSets[typ] = append(x.leafSets[typ], field)
	}
}

// leafSetDecls declares the leaf sets that the leaf paths name.
func (x *executor) leafSetDecls() []byte {
	var b bytes.Buffer
	for _, typ := range slices.Sorted(maps.Keys(x.usedSets)) {
		fmt.Fprintf(&b, "\n// leafFields_%s are the fields of %s that marshal without a field context (graph/codegen/plain.go).\n", typ, typ)
		fmt.Fprintf(&b, "var leafFields_%s = map[string]bool{", typ)
		for i, f := range x.leafSets[typ] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: true", f)
		}
		b.WriteString("}\n")
	}
	return b.Bytes()
}

// plainField returns the direct version of the field function fn, or nil
// if fn is not a plain field's.
func (x *executor) plainField(fn []byte) []byte {
	src := x.src
	m := resolveFieldFunc.FindSubmatch(fn)
	if m == nil {
		return nil
	}
	name, slow, fieldContext, body, middleware, valueType, marshaller := m[1], m[2], m[3], m[4], m[5], m[6], m[7]
	if string(middleware) != "nil" {
		return nil
	}
	if !leafMarshaller(src, string(marshaller), string(valueType)) {
		return x.readField(fn, m)
	}
	var direct string
	if read := structFieldRead.FindSubmatch(body); read != nil {
		direct = fmt.Sprintf("\treturn ec.%s(ctx, field.Selections, %s)\n", marshaller, read[1])
	} else if read := localizedRead.FindSubmatch(body); read != nil {
		parser := argsFunc.FindSubmatch(functionBody(src, string(fieldContext)))
		if parser == nil {
			x.unparsedArgs = string(name)
			return nil
		}
		call := bytes.ReplaceAll(read[1], []byte("fc.Args["), []byte("args["))
		direct = fmt.Sprintf("\tif args, err := gqlexec.Args(ctx, ec.OperationContext, field, ec.Variables, ec.%s); err == nil {\n"+
			"\t\treturn ec.%s(ctx, field.Selections, %s)\n\t}\n", parser[1], marshaller, call)
		direct += "\treturn " + string(slow) + "\n"
	} else {
		return nil
	}
	return fmt.Appendf(nil, "func (ec *executionContext) %s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n%s}\n",
		name, objectType(fn), direct)
}

// Object fields. A field whose value is an object or a list, read from
// its object (a struct field, or an edge method such as Phase(ctx)), needs
// its field context: the marshaller resolves the fields below it, whose
// paths and errors name it. What ResolveField adds beyond that for such a
// field (closures for its resolver and marshaller, the field middleware,
// boxing the value) readField leaves out: the direct path builds the field
// context, reads the value and marshals it, recovering from a panic and
// reporting the read's error as ResolveField does.
//
// Leaf objects. When the value is an object read as a struct field or
// through entgql's to-one edge method, and the selection asks only for
// its plain struct fields (a partnership's phase { name }, a town's
// country { code }, a project's node), nothing below the field reads its
// context or can fail: the leaf path marshals the object without building
// the context (a FieldContext, a context and a closure per object; on a
// deep list a fifth of the allocations). A read that fails or finds no
// object, and a panic, build the context then, so that errors name the
// field as before.

// Resolver bodies of object fields: a struct field, a method of the
// object given the context that returns the value and an error, or a
// method of the object or a resolver given the context and the field's
// arguments (a connection such as a partnership's projects(first:)),
// which the direct path reads from the field context it builds.
var (
	methodRead     = regexp.MustCompile(`^\t\t\treturn (obj\.(\w+))\(ctx\)$`)
	argsMethodRead = regexp.MustCompile(`^\t\t\tfc := graphql\.GetFieldContext\(ctx\)\n\t\t\treturn ((?:obj|ec\.Resolvers\.\w+\(\))\.\w+\(ctx, [^\n]*\))$`)
)

// readError reports the error of a direct path's read as ResolveField
// does, and makes the field null.
const readError = "\tif err != nil {\n\t\tec.OperationContext.Error(ctx, graphql.AddFieldLocationToError(ctx, err))\n\t\treturn graphql.Null\n\t}\n"

// objectMarshaller matches the body of a marshaller of a pointer to an
// object: null for nil, else the object's marshalling function.
var objectMarshaller = regexp.MustCompile(`(?s)\n\tif v == nil \{\n.*?\n\t\}\n\treturn ec\._(\w+)\(ctx, sel, v\)$`)

// readField returns the direct version of the field function fn (m is
// its resolveFieldFunc match) when its value is a pointer or a slice, read
// as above, with a leaf path where one applies; nil otherwise. A value of
// an interface type keeps gqlgen's path, which treats a nil one apart.
func (x *executor) readField(fn []byte, m [][]byte) []byte {
	name, fieldContext, body, valueType, marshaller, recovers := m[1], m[3], m[4], string(m[6]), m[7], string(m[8]) == "true"
	if !strings.HasPrefix(valueType, "*") && !strings.HasPrefix(valueType, "[]") {
		return nil
	}
	var read, leafRead string
	if r := structFieldRead.FindSubmatch(body); r != nil {
		read = fmt.Sprintf("\tres := %s\n", r[1])
		leafRead = fmt.Sprintf("\t\tres, err := %s, error(nil)\n", r[1])
	} else if r := methodRead.FindSubmatch(body); r != nil {
		read = fmt.Sprintf("\tres, err := %s(ctx)\n"+readError, r[1])
		if x.edgeReads[strings.TrimPrefix(objectType(fn), "*ent.")+"."+string(r[2])] {
			leafRead = fmt.Sprintf("\t\tres, err := %s(ctx)\n", r[1])
		}
	} else if r := argsMethodRead.FindSubmatch(body); r != nil {
		read = fmt.Sprintf("\tres, err := %s\n"+readError, r[1])
	} else {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "func (ec *executionContext) %s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n", name, objectType(fn))
	if leafRead != "" {
		x.writeLeafPath(&b, string(fieldContext), valueType, string(marshaller), leafRead, recovers)
	}
	fmt.Fprintf(&b, "\tfc, err := ec.%s(ctx, field)\n\tif err != nil {\n\t\treturn graphql.Null\n\t}\n", fieldContext)
	b.WriteString("\tctx = graphql.WithFieldContext(ctx, fc)\n")
	if recovers {
		b.WriteString("\tdefer func() {\n\t\tif r := recover(); r != nil {\n" +
			"\t\t\tec.OperationContext.Error(ctx, ec.OperationContext.Recover(ctx, r))\n\t\t\tret = graphql.Null\n\t\t}\n\t}()\n")
	}
	b.WriteString(read)
	b.WriteString("\tfc.Result = res\n")
	fmt.Fprintf(&b, "\treturn ec.%s(ctx, field.Selections, res)\n}\n", marshaller)
	return []byte(b.String())
}

// writeLeafPath writes the leaf path (see above) of a field whose value
// of valueType marshaller writes, read by read (res and err), when the
// value's type has a leaf set and its implementors are known.
func (x *executor) writeLeafPath(b *strings.Builder, fieldContext, valueType, marshaller, read string, recovers bool) {
	if !strings.HasPrefix(valueType, "*") {
		return
	}
	mm := objectMarshaller.FindSubmatch(functionBody(x.src, marshaller))
	if mm == nil {
		return
	}
	typ := string(mm[1])
	implementors := strings.ToLower(typ[:1]) + typ[1:] + "Implementors"
	if len(x.leafSets[typ]) == 0 || !bytes.Contains(x.src, []byte("\nvar "+implementors+" = ")) {
		return
	}
	x.usedSets[typ] = true
	fmt.Fprintf(b, "\tif gqlexec.LeafSelection(ec.OperationContext, field.Selections, %s, leafFields_%s) {\n", implementors, typ)
	withContext := fmt.Sprintf("fc, fcErr := ec.%s(ctx, field)\n", fieldContext)
	if recovers {
		b.WriteString("\t\tdefer func() {\n\t\t\tif r := recover(); r != nil {\n" +
			"\t\t\t\t" + strings.Replace(withContext, "fcErr", "_", 1) +
			"\t\t\t\tctx := graphql.WithFieldContext(ctx, fc)\n" +
			"\t\t\t\tec.OperationContext.Error(ctx, ec.OperationContext.Recover(ctx, r))\n\t\t\t\tret = graphql.Null\n\t\t\t}\n\t\t}()\n")
	}
	b.WriteString(read)
	fmt.Fprintf(b, "\t\tif err == nil && res != nil {\n\t\t\treturn ec._%s(ctx, field.Selections, res)\n\t\t}\n", typ)
	b.WriteString("\t\t" + withContext + "\t\tif fcErr != nil {\n\t\t\treturn graphql.Null\n\t\t}\n")
	b.WriteString("\t\tctx := graphql.WithFieldContext(ctx, fc)\n")
	b.WriteString("\t\tif err != nil {\n\t\t\tec.OperationContext.Error(ctx, graphql.AddFieldLocationToError(ctx, err))\n\t\t\treturn graphql.Null\n\t\t}\n")
	b.WriteString("\t\tfc.Result = res\n")
	fmt.Fprintf(b, "\t\treturn ec.%s(ctx, field.Selections, res)\n\t}\n", marshaller)
}

// toOneEdgeRead matches a method that reads a to-one edge as entgql writes
// it in ent/gql_edge.go: the loaded edge, else one query for it. Such a
// method reads nothing from its context but the viewer, so the leaf path
// may call it before the field's context exists.
var toOneEdgeRead = regexp.MustCompile(`(?m)^func \(_m \*(\w+)\) (\w+)\(ctx context\.Context\) \(\*\w+, error\) \{
	result, err := _m\.Edges\.\w+OrErr\(\)
	if IsNotLoaded\(err\) \{
		result, err = _m\.Query\w+\(\)\.Only\(ctx\)
	\}
	return result, (?:err|MaskNotFound\(err\))
\}$`)

// toOneEdgeReads returns the methods ("Type.Method") of entgql's edge
// file src that read a to-one edge (toOneEdgeRead).
func toOneEdgeReads(src []byte) map[string]bool {
	reads := map[string]bool{}
	for _, m := range toOneEdgeRead.FindAllSubmatch(src, -1) {
		reads[string(m[1])+"."+string(m[2])] = true
	}
	return reads
}

// leafMarshaller reports whether the marshaller named marshaller writes a
// leaf value of valueType without its field context: no nested selection,
// no list, and no null error unless the type is never null.
func leafMarshaller(src []byte, marshaller, valueType string) bool {
	body := functionBody(src, marshaller)
	if !marshalsLeaf(body) {
		return false
	}
	return !bytes.Contains(body, []byte("AddInvalidNull")) || neverNull[valueType]
}

// marshalsLeaf reports whether the marshaller body writes its value
// without a nested selection, a list or its field's context (but for a
// null error).
func marshalsLeaf(body []byte) bool {
	if body == nil {
		return false
	}
	for _, needsField := range []string{"ec._", "ec.marshal", "GetFieldContext", "WithPathContext", "MarshalSlice", "ContextMarshaler"} {
		if bytes.Contains(body, []byte(needsField)) {
			return false
		}
	}
	return true
}

// functionBody returns the text of the executionContext method name in
// src, up to its closing brace, or nil.
func functionBody(src []byte, name string) []byte {
	start := bytes.Index(src, []byte("func (ec *executionContext) "+name+"("))
	if start < 0 {
		return nil
	}
	end := bytes.Index(src[start:], []byte("\n}\n"))
	if end < 0 {
		return nil
	}
	return src[start : start+end]
}

// objectParamType finds the type of a field function's object parameter.
var objectParamType = regexp.MustCompile(`obj (\*?[\w.]+)\) \(ret graphql\.Marshaler\)`)

// objectType returns the object parameter's type of the field function fn.
func objectType(fn []byte) string {
	return string(objectParamType.FindSubmatch(fn)[1])
}
