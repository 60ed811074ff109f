package export

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/bridgesoftrust/hub/ent/municipality"
	"github.com/bridgesoftrust/hub/ent/predicate"
)

// Box is a bounding box for maps, in degrees (WGS 84): the municipalities
// whose coordinates lie within it. A box whose west edge is east of its
// east edge crosses the antimeridian.
type Box struct {
	South float64 `json:"south"`
	West  float64 `json:"west"`
	North float64 `json:"north"`
	East  float64 `json:"east"`
}

// Validate refuses a box outside the globe or upside down.
func (b Box) Validate() error {
	switch {
	case b.South < -90 || b.North > 90 || b.South > 90 || b.North < -90:
		return fmt.Errorf("within: south and north must be latitudes between -90 and 90")
	case b.West < -180 || b.West > 180 || b.East < -180 || b.East > 180:
		return fmt.Errorf("within: west and east must be longitudes between -180 and 180")
	case b.South > b.North:
		return fmt.Errorf("within: south (%g) is north of north (%g)", b.South, b.North)
	}
	return nil
}

// Predicate matches the municipalities with coordinates inside the box.
func (b Box) Predicate() predicate.Municipality {
	lon := municipality.And(municipality.LongitudeGTE(b.West), municipality.LongitudeLTE(b.East))
	if b.West > b.East {
		lon = municipality.Or(municipality.LongitudeGTE(b.West), municipality.LongitudeLTE(b.East))
	}
	return municipality.And(municipality.LatitudeGTE(b.South), municipality.LatitudeLTE(b.North), lon)
}

// decodeBox decodes and checks the JSON of a within filter.
func decodeBox(raw json.RawMessage) (Box, error) {
	var b struct{ South, West, North, East *float64 }
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Box{}, fmt.Errorf("within: %v", err)
	}
	if b.South == nil || b.West == nil || b.North == nil || b.East == nil {
		return Box{}, fmt.Errorf("within: south, west, north and east are all required")
	}
	box := Box{South: *b.South, West: *b.West, North: *b.North, East: *b.East}
	return box, box.Validate()
}
