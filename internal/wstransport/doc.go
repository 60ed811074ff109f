// Package wstransport is a gqlgen transport that serves GraphQL operations
// (subscriptions, and queries and mutations too) over WebSocket, using
// github.com/gorilla/websocket.
//
// It speaks two subprotocols, chosen by the client's Sec-WebSocket-Protocol
// header (graphql-transport-ws is preferred when both are offered):
//
//   - graphql-transport-ws, the GraphQL over WebSocket protocol of the
//     graphql-ws library (connection_init, connection_ack, ping, pong,
//     subscribe, next, error, complete), including its close codes;
//   - graphql-ws, the legacy protocol of subscriptions-transport-ws
//     (connection_init, connection_ack, ka, start, data, error, complete,
//     stop, connection_terminate, connection_error), for old clients.
//
// A client that offers neither subprotocol is upgraded and then closed at
// once with 4406 "Subprotocol not acceptable", as the graphql-ws reference
// server does: a browser cannot see the status of a refused handshake, but it
// can see a close code.
//
// # Why the protocol is written here
//
// gqlgen ships a websocket transport, but it is built on another websocket
// library (github.com/coder/websocket), has no initialisation timeout by
// default and does not close with the close codes the protocol requires
// (4400 invalid message, 4401 unauthorized, 4403 forbidden, 4408
// initialisation timeout, 4409 duplicate subscriber, 4429 repeated
// initialisation). Clients such as graphql-ws rely on those codes to decide
// whether to retry. This package therefore implements the protocol itself and
// only borrows gqlgen's way of driving the executor
// (CreateOperationContext, DispatchOperation, DispatchError).
//
// # Behaviour
//
//   - Authentication: the connection_init payload goes to Config.InitFunc;
//     an error closes the socket with 4403 and the error's message as reason.
//     InitPayload.Authorization and BearerToken find the token whatever the
//     case of the key; BearerAuth builds an InitFunc from a token check.
//   - Credentials for the connection's life: Config.Recheck checks them
//     again before each operation starts (a refusal closes with 4403);
//     ConnFromContext gives InitFunc a handle whose Close ends the
//     connection from outside, e.g. when an event says its credentials
//     ended (see credentials.go and the Hub's internal/credwatch).
//   - Operations need an acknowledged connection (4401 otherwise); an id that
//     is already running closes with 4409 (queries included); a second
//     connection_init closes with 4429; parse and validation errors come back
//     as an error message; results as next messages, then complete.
//   - The legacy graphql-ws protocol follows the same rules, but, as that
//     protocol asks, a malformed message is answered (connection_error, or
//     error for an operation) instead of closing the socket; a refused
//     connection_init gets connection_error before the 4403 close.
//   - More than Config.MaxOperations operations at once on one connection:
//     the extra one receives an error message (extensions.code
//     TOO_MANY_OPERATIONS) and the connection stays open.
//   - Every connection has a bounded send queue of frames (the transport
//     frames what it sends; gorilla/websocket reads) and one writer at a
//     time. The producer that finds no writer running writes the queue
//     itself as far as the socket takes it without waiting, and leaves the
//     rest to a writer goroutine, which runs while the queue has work: a
//     fan-out writes from the drain workers, without a goroutine per
//     message. Producers (the reader, the operations, the drain workers)
//     never block on the socket: when a connection's queue is full the
//     connection is closed with 1013 "slow consumer" and its operations
//     are cancelled; a write that takes longer than Config.WriteTimeout
//     drops the connection. A frame cut short by a full socket is always
//     finished, so the stream stays whole.
//   - Memory: Transport.Do returns right after the upgrade (the HTTP
//     server's request buffers and goroutine are freed); buffers are small
//     (256-byte read buffer, pooled write buffers, no compression); each
//     message is handled on a short-lived goroutine, so the reader's stack
//     stays small; an idle connection holds the reader goroutine and no
//     writer. A subscription whose resolver claims the readiness signal
//     (package readiness) holds no goroutine while idle: its values are
//     read when announced, by a few drain workers shared by the transport's
//     connections; any other operation keeps a goroutine while it runs.
//     BenchmarkIdleSubscribedConnection measures about 15 KB per idle
//     connection with one (unsignalled) subscription; the Hub's, signalled,
//     about 21 KB with gqlgen's and the Feed's state (see docs/realtime.md).
//   - Shared results (Config.ShareKey): subscriptions whose viewers have
//     equal share keys and that run the same operation get one execution's
//     result for a value announced with the same key (readiness.Value), in
//     a group of two or more. The key must name viewers that every
//     resolver treats alike; the Hub's is the credential, or anonymous.
//   - Keep-alive: the server sends a WebSocket ping frame every
//     Config.PingInterval (and a ka message on graphql-ws, and optionally a
//     ping message on graphql-transport-ws); a connection from which nothing
//     was read for PingInterval+PongTimeout is dropped. A client's ping
//     message is answered with a pong echoing its payload.
//   - Messages larger than Config.MaxMessageSize close the socket with 1009.
//   - Origins: requests without an Origin header (non-browser clients), from
//     the same origin as the request's Host, or listed in
//     Config.AllowedOrigins are accepted; others are refused with 403 before
//     the upgrade.
//   - Transport.Shutdown closes every connection with 1001 (going away).
//
// # Wiring
//
//	ws := wstransport.New(wstransport.Config{
//		InitFunc: wstransport.BearerAuth(func(ctx context.Context, token string) (context.Context, error) {
//			if token == "" {
//				return ctx, nil // anonymous, or the viewer the HTTP middleware put in ctx
//			}
//			viewer, err := verify(ctx, token)
//			if err != nil {
//				return ctx, err // closes with 4403 and err's message
//			}
//			return withViewer(ctx, viewer), nil
//		}),
//		AllowedOrigins: []string{"https://portal.example.org"},
//	})
//	srv := handler.New(schema)
//	srv.AddTransport(ws) // first: it takes only upgrade requests
//	srv.AddTransport(transport.Options{})
//	srv.AddTransport(transport.GET{})
//	srv.AddTransport(transport.POST{})
//	...
//	_ = ws.Shutdown(ctx) // on shutdown, before or beside http.Server.Shutdown
//
// Operations run in the context InitFunc returned, which keeps the values of
// the upgrade request's context (not its cancellation: Do returns after the
// upgrade). Many operations of one connection run at once in that context,
// so request-scoped state in it must be safe for concurrent use.
// GetInitPayload returns a non-nil payload for every operation run by this
// transport, which also tells websocket operations apart.
package wstransport
