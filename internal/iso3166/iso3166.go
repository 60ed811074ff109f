// Package iso3166 knows the ISO 3166-1 alpha-2 country codes, so that a
// country code given to the Hub is checked against the standard, not only
// against its shape.
package iso3166

import (
	"fmt"
	"strings"
)

// codes holds every officially assigned ISO 3166-1 alpha-2 code, plus XK
// (Kosovo), which the EU and the Hub's partners use.
const codes = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG
PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY
SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW`

// euMembers are the 27 member states of the European Union.
const euMembers = `AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE`

var (
	known = toSet(codes)
	eu    = toSet(euMembers)
)

func toSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, c := range strings.Fields(list) {
		set[c] = true
	}
	return set
}

// Validate returns an error unless code is an assigned alpha-2 code in
// upper case.
func Validate(code string) error {
	if !known[code] {
		return fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code (two upper-case letters such as \"UA\" or \"LV\")", code)
	}
	return nil
}

// IsEUMember reports whether code is a member state of the European Union.
func IsEUMember(code string) bool { return eu[code] }
