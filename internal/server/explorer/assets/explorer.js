// Starts GraphiQL on the Hub's endpoint: queries and mutations over HTTP
// at /graphql, subscriptions over websocket on the same path. Kept out of
// index.html so that the Content-Security-Policy needs no inline script.
(function () {
  'use strict';
  var endpoint = new URL('graphql', location.href);
  var ws = new URL(endpoint);
  ws.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: ws.href });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true
  }));
})();
