package graph

import (
	"context"
	"strings"

	"entgo.io/contrib/entgql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/graph/model"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/search"
)

// Limits of the search field.
const (
	searchDefaultFirst = 20
	searchMaxFirst     = 100
	searchMaxQuery     = 200
)

// searchKinds maps the SearchType enum to the index's kinds.
var searchKinds = map[model.SearchType]search.Kind{
	model.SearchTypeMunicipality: ent.TypeMunicipality,
	model.SearchTypeAssociation:  ent.TypeAssociation,
	model.SearchTypePartnership:  ent.TypePartnership,
	model.SearchTypeProject:      ent.TypeProject,
	model.SearchTypeActivity:     ent.TypeActivity,
	model.SearchTypeNewsItem:     ent.TypeNewsItem,
	model.SearchTypeForumTopic:   ent.TypeTopic,
	model.SearchTypeForumPost:    ent.TypePost,
}

// runSearch answers the search field: it checks the arguments, reads one
// more hit than asked to know whether a next page exists and builds the
// connection, each cursor holding its hit's position.
func runSearch(ctx context.Context, client *ent.Client, query string, types []model.SearchType, first *int, after *entgql.Cursor[int]) (*model.SearchConnection, error) {
	if strings.TrimSpace(query) == "" || len([]rune(query)) > searchMaxQuery {
		return nil, apierr.Input("query", "the query must have 1 to %d characters", searchMaxQuery)
	}
	limit := searchDefaultFirst
	if first != nil {
		if *first < 0 || *first > searchMaxFirst {
			return nil, apierr.Input("first", "first must be between 0 and %d", searchMaxFirst)
		}
		limit = *first
	}
	offset := 0
	if after != nil {
		if after.ID < 0 {
			return nil, apierr.Input("after", "invalid cursor")
		}
		offset = after.ID + 1
	}
	kinds := make([]search.Kind, len(types))
	for i, t := range types {
		kinds[i] = searchKinds[t]
	}
	results, err := search.Search(ctx, client, query, kinds, offset, limit)
	if err != nil {
		return nil, err
	}
	return searchConnection(results, limit, after != nil), nil
}

// searchConnection builds the page of at most limit results.
func searchConnection(results []search.Result, limit int, hasPrevious bool) *model.SearchConnection {
	conn := &model.SearchConnection{PageInfo: &entgql.PageInfo[int]{HasPreviousPage: hasPrevious}}
	if len(results) > limit {
		conn.PageInfo.HasNextPage = true
		results = results[:limit]
	}
	conn.Edges = make([]*model.SearchEdge, len(results))
	conn.Nodes = make([]ent.Noder, len(results))
	for i, r := range results {
		cursor := entgql.Cursor[int]{ID: r.Offset}
		conn.Edges[i] = &model.SearchEdge{Node: r.Node, Cursor: cursor, Highlight: r.Highlight, Rank: r.Rank}
		conn.Nodes[i] = r.Node
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn
}
