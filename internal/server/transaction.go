package server

import (
	"context"
	"database/sql/driver"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bridgesoftrust/hub/internal/apierr"
)

// transactioner is entgql's Transactioner (one transaction per mutation),
// guarded for error responses that gqlgen dispatches without an operation
// (e.g. an undecodable body), on which entgql's would panic. A
// transaction that cannot begin or commit is answered through the API's
// error table (UNAVAILABLE when the database dropped the connection)
// rather than with entgql's bare message, which would be an internal
// error.
type transactioner struct{ entgql.Transactioner }

// newTransactioner returns the transactioner over opener: each mutation
// runs in one transaction, except the mutations of graph.OwnTransactions,
// which open their own (see owntx.go).
func newTransactioner(opener entgql.TxOpener) transactioner {
	return transactioner{entgql.Transactioner{TxOpener: notingOpener{opener}, SkipTxFunc: ownsTransactions}}
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	failure := &txFailure{}
	resp := t.Transactioner.InterceptResponse(context.WithValue(ctx, txFailureKey{}, failure), next)
	if failure.err == nil || resp == nil {
		return resp
	}
	if e := apierr.Classify(ctx, failure.err); e.Code != apierr.Internal {
		resp.Errors = gqlerror.List{{Message: e.Message, Path: graphql.GetPath(ctx), Extensions: e.Extensions(), Err: e}}
	}
	return resp
}

type txFailureKey struct{}

// txFailure holds the error with which a request's transaction could not
// begin or commit.
type txFailure struct{ err error }

// noteTxFailure records err for the request of ctx.
func noteTxFailure(ctx context.Context, err error) {
	if f, ok := ctx.Value(txFailureKey{}).(*txFailure); ok && err != nil {
		f.err = err
	}
}

// notingOpener opens transactions that note why they could not begin or
// commit.
type notingOpener struct{ entgql.TxOpener }

// OpenTx implements entgql.TxOpener.
func (o notingOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	txCtx, tx, err := o.TxOpener.OpenTx(ctx)
	if err != nil {
		noteTxFailure(ctx, err)
		return nil, nil, err
	}
	return txCtx, notingTx{Tx: tx, ctx: ctx}, nil
}

// notingTx is a transaction that notes why it could not commit.
type notingTx struct {
	driver.Tx
	ctx context.Context
}

// Commit implements driver.Tx.
func (t notingTx) Commit() error {
	err := t.Tx.Commit()
	noteTxFailure(t.ctx, err)
	return err
}
