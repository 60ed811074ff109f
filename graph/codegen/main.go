// Command codegen generates the Hub's GraphQL executor (graph/generated.go)
// with gqlgen, as `gqlgen generate` would, and makes it lean: gqlgen starts
// a goroutine for each field bound to a method taking a context and for each
// element of a list, which on the Hub's pages (hundreds of nodes, each with
// a few edges that entgql has already loaded) cost more in goroutine starts,
// stack growth and scheduling than the resolvers themselves. gqlgen has no
// setting for this (exec.worker_limit bounds the goroutines but still
// starts them), so this command
//
//   - marks every object but the roots as not concurrent through a gqlgen
//     plugin (the flag gqlgen itself sets on the Mutation type), so fields
//     resolve in order on the request's goroutine; root fields still run
//     side by side;
//   - points the generated list marshalling at gqlexec.MarshalSlice, which
//     has gqlgen's signature and results without the goroutines;
//   - leaves out the @defer bookkeeping of each object (a path, a field set
//     and a map per object marshalled), which only concurrent fields use;
//   - returns each object as a gqlexec.Object, which writes its JSON
//     without gqlgen's per-field copies and map;
//   - parses each field's arguments once per operation (gqlexec.Args)
//     rather than once per list element, and collects the fields of each
//     selection set through a cache keyed without allocating or hashing
//     type names (gqlexec.CollectImplementorFields);
//   - writes a query's data into a buffer from gqlexec's pool
//     (gqlexec.ResponseBuffer), which the POST transport gives back;
//   - keeps the field values of non-root objects in a gqlexec.Fields, not
//     in gqlgen's field set, which only concurrent fields need;
//   - marshals Ent's enums through one kept marshaller per value
//     (enums.go);
//   - marshals plain fields (a struct field or a localized name, of a leaf
//     type) directly, without gqlgen's field context and closures, and
//     objects that select only plain fields without their field's context
//     (plain.go).
//
// Run from the repository root: go run ./graph/codegen (graph/generate.go
// does it under go generate).
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"regexp"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

// configFile is gqlgen's configuration, and edgeFile entgql's edge
// methods (see toOneEdgeReads), relative to the repository root.
const (
	configFile = "gqlgen.yml"
	edgeFile   = "ent/gql_edge.go"
)

// concurrentSlice is the call gqlgen writes for each list of objects, and
// sequentialSlice the Hub's drop-in replacement.
const (
	concurrentSlice = "graphql.MarshalSliceConcurrently("
	sequentialSlice = "gqlexec.MarshalSlice("
	// Every object marshalling opens a group for @defer, which computes
	// the field's path and allocates a field set and a map. Only fields
	// that resolve concurrently are ever deferred, so the Hub's objects
	// keep an empty group: @defer is answered inline, as the incremental
	// delivery proposal allows.
	deferredGroup = "deferred := graphql.NewDeferredGroup(ctx)"
	noDeferral    = "var deferred graphql.DeferredGroup"
	deferredUse   = "&deferred"
	// Each object is returned as gqlgen's field set, whose marshalling
	// copies every field and keeps a map of the names written; the Hub
	// returns a gqlexec.Object of the same fields and values instead.
	fieldSetReturn = "\n\treturn out\n}"
	objectReturn   = "\n\treturn gqlexec.NewObject(fields, out.Values)\n}"
	gqlexecImport  = `"github.com/bridgesoftrust/hub/internal/gqlexec"`
)

// fieldArgs matches the parsing of a field's arguments in the executor,
// and cachedArgs parses them through the operation's argument cache
// instead (gqlexec.Args), once per field of the query document.
var (
	fieldArgs  = regexp.MustCompile(`ec\.(field_\w+_args)\(ctx, field\.ArgumentMap\(ec\.Variables\)\)`)
	cachedArgs = []byte("gqlexec.Args(ctx, ec.OperationContext, field, ec.Variables, ec.$1)")
)

// contextForArgs is how a field context function (after the rewrite of
// fieldArgs) gives the field's context to the parsing of its arguments,
// and keptArgsFirst the same after asking for the arguments kept for the
// operation (gqlexec.KeptArgs): a field inside a list no longer allocates
// a context for each element only to find its arguments parsed.
var (
	contextForArgs = regexp.MustCompile(`\tctx = graphql\.WithFieldContext\(ctx, fc\)\n(\tif fc\.Args, err = gqlexec\.Args\()`)
	keptArgsFirst  = []byte("\tif fc.Args = gqlexec.KeptArgs(ec.OperationContext, field); fc.Args != nil {\n\t\treturn fc, nil\n\t}\n" +
		"\tctx = graphql.WithFieldContext(ctx, fc)\n$1")
)

// queryBuffer is where the executor writes a query's data, and
// pooledBuffer the same from gqlexec's pool (gqlexec.ResponseBuffer).
const (
	queryBuffer  = "\t\t\tvar buf bytes.Buffer\n\t\t\tdata.MarshalGQL(&buf)\n\t\t\tresponse.Data = buf.Bytes()\n"
	pooledBuffer = "\t\t\tbuf := gqlexec.ResponseBuffer()\n\t\t\tdata.MarshalGQL(buf)\n\t\t\tresponse.Data = buf.Bytes()\n"
)

// gqlgenCollect is how the executor collects an object's fields, and
// cachedCollect the same through the operation's cache, keyed by the
// address of the object's list of implemented types
// (gqlexec.CollectImplementorFields), which implementorCollect checks is
// one of gqlgen's package variables.
const (
	gqlgenCollect = "graphql.CollectFields(ec.OperationContext, "
	cachedCollect = "gqlexec.CollectImplementorFields(ec.OperationContext, "
)

var implementorCollect = regexp.MustCompile(`gqlexec\.CollectImplementorFields\(ec\.OperationContext, \w+, \w+Implementors\)`)

func main() {
	if err := generate(); err != nil {
		fmt.Fprintln(os.Stderr, "codegen:", err)
		os.Exit(1)
	}
}

// generate runs gqlgen with the lean executor plugin, then rewrites the
// list marshalling of the generated executor.
func generate() error {
	cfg, err := config.LoadConfig(configFile)
	if err != nil {
		return fmt.Errorf("loading %s: %w", configFile, err)
	}
	if err := api.Generate(cfg, api.AddPlugin(sequentialObjects{})); err != nil {
		return fmt.Errorf("running gqlgen: %w", err)
	}
	return rewriteSlices(cfg.Exec.Filename)
}

// sequentialObjects is the gqlgen plugin that resolves the fields of every
// object but the root types in order, on the caller's goroutine.
type sequentialObjects struct{}

// Name names the plugin in gqlgen's messages.
func (sequentialObjects) Name() string { return "hub-sequential-objects" }

// GenerateCode runs before gqlgen renders the executor and clears the
// concurrency of every non-root object.
func (sequentialObjects) GenerateCode(data *codegen.Data) error {
	for _, object := range data.Objects {
		if !object.Root {
			object.DisableConcurrency = true
		}
	}
	return nil
}

// rewriteSlices replaces gqlgen's concurrent list marshalling in the
// executor at path by gqlexec.MarshalSlice, drops the unused @defer groups,
// writes queries' data into pooled buffers and imports gqlexec.
func rewriteSlices(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Contains(src, []byte(concurrentSlice)) {
		return fmt.Errorf("%s has no %s: gqlgen's output changed, review graph/codegen", path, concurrentSlice)
	}
	src = bytes.ReplaceAll(src, []byte(concurrentSlice), []byte(sequentialSlice))
	if bytes.Contains(src, []byte(deferredUse)) {
		return fmt.Errorf("%s still schedules fields on a @defer group: review graph/codegen", path)
	}
	src = bytes.ReplaceAll(src, []byte(deferredGroup), []byte(noDeferral))
	src = bytes.ReplaceAll(src, []byte(fieldSetReturn), []byte(objectReturn))
	src = fieldArgs.ReplaceAll(src, cachedArgs)
	if n := len(contextForArgs.FindAll(src, -1)); n == 0 || n != bytes.Count(src, []byte("\tif fc.Args, err = gqlexec.Args(")) {
		return fmt.Errorf("%s gives field contexts to argument parsing otherwise: review graph/codegen", path)
	}
	src = contextForArgs.ReplaceAll(src, keptArgsFirst)
	src = bytes.ReplaceAll(src, []byte(gqlgenCollect), []byte(cachedCollect))
	if len(implementorCollect.FindAll(src, -1)) != bytes.Count(src, []byte(cachedCollect)) {
		return fmt.Errorf("%s collects fields for a list of types other than gqlgen's Implementors variables: review graph/codegen", path)
	}
	if bytes.Count(src, []byte(queryBuffer)) != 1 {
		return fmt.Errorf("%s writes a query's data otherwise: review graph/codegen", path)
	}
	src = bytes.Replace(src, []byte(queryBuffer), []byte(pooledBuffer), 1)
	src = sequentialFieldSets(src)
	edges, err := os.ReadFile(edgeFile)
	if err != nil {
		return err
	}
	if src, err = plainFields(src, toOneEdgeReads(edges)); err != nil {
		return err
	}
	if src, err = entEnums(src); err != nil {
		return err
	}
	src, err = addImport(src)
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

// Objects other than the root types (their marshalling functions take the
// object, obj) resolve their fields in order, so they keep the values in a
// gqlexec.Fields instead of gqlgen's field set.
const (
	funcStart      = "\nfunc (ec *executionContext) _"
	objectParam    = ", obj "
	fieldSetAlloc  = "out := graphql.NewFieldSet(fields)"
	sequentialSets = "out := gqlexec.NewFields(len(fields))"
)

// sequentialFieldSets replaces the field sets of the non-root objects'
// marshalling functions in src.
func sequentialFieldSets(src []byte) []byte {
	parts := bytes.Split(src, []byte(funcStart))
	for i := 1; i < len(parts); i++ {
		signature, _, _ := bytes.Cut(parts[i], []byte("\n"))
		if bytes.Contains(signature, []byte(objectParam)) {
			parts[i] = bytes.Replace(parts[i], []byte(fieldSetAlloc), []byte(sequentialSets), 1)
		}
	}
	return bytes.Join(parts, []byte(funcStart))
}

// addImport adds gqlexec to the first import block of src, unless gqlgen
// imported it (gqlgen.yml binds the ID scalar there), and formats it.
func addImport(src []byte) ([]byte, error) {
	if bytes.Contains(src, []byte("\t"+gqlexecImport+"\n")) {
		return format.Source(src)
	}
	block := []byte("import (\n")
	at := bytes.Index(src, block)
	if at < 0 {
		return nil, fmt.Errorf("generated executor has no import block")
	}
	at += len(block)
	out := append([]byte{}, src[:at]...)
	out = append(out, []byte("\t"+gqlexecImport+"\n")...)
	out = append(out, src[at:]...)
	return format.Source(out)
}
