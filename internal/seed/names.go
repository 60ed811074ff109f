package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bridgesoftrust/hub/ent/region"
)

// nameStyle makes invented place names that sound as if they came from one
// language area: two or three syllables and a typical ending, sometimes
// after a typical prefix ("Novo", "Neu", "San ").
type nameStyle struct {
	syllables, suffixes, prefixes []string
}

// make invents a name.
func (s nameStyle) make(rng *rand.Rand) string {
	n := 2 + rng.IntN(2)
	var b strings.Builder
	for range n {
		b.WriteString(pick(rng, s.syllables))
	}
	b.WriteString(pick(rng, s.suffixes))
	name := capitalise(b.String())
	if len(s.prefixes) > 0 && rng.IntN(6) == 0 {
		prefix := pick(rng, s.prefixes)
		if strings.HasSuffix(prefix, " ") || strings.HasSuffix(prefix, "-") {
			return prefix + name
		}
		return prefix + strings.ToLower(name)
	}
	return name
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

var (
	ukrainianStyle = nameStyle{
		syllables: words("bo vy ho dy zo ka ly mo no po ro so te khor cher ma sta ver zhy ya bi du lu pe hor"),
		suffixes:  words("iv ivka ivske ne yn ivtsi ychi opil horod ove anka ske ets"),
		prefixes:  words("Novo Staro Velyko Verkhnio Nyzhnio"),
	}
	germanStyle = nameStyle{
		syllables: words("al ber bran dorn eich fal gel hal hil kir lin mar nor ro sal stein wal wil lau ried"),
		suffixes:  words("burg dorf feld hausen heim berg stadt bach ingen au tal"),
		prefixes:  words("Neu Alt Ober Unter"),
	}
	dutchStyle = nameStyle{
		syllables: words("al bre dor ek gel hoo lan mer oos ren sche ter vel wa zee bro hui kam"),
		suffixes:  words("dam dijk hoven wijk broek veen sloot horst ingen stede"),
		prefixes:  words("Nieuw Oud Groot"),
	}
	frenchStyle = nameStyle{
		syllables: words("bel mon val cha ro ver sai lu mar bou gre pon cour fon ne lan tour"),
		suffixes:  words("ville court mont ac ay ieu eux ières y on"),
		prefixes:  []string{"Saint-", "Le ", "La "},
	}
	italianStyle = nameStyle{
		syllables: words("ca sa ro mon val ver bo lu pi fe ma tor gra co se ri na vi"),
		suffixes:  words("ano ello ina one ate ara ino ola esco ago"),
		prefixes:  []string{"San ", "Monte", "Castel"},
	}
	iberianStyle = nameStyle{
		syllables: words("al ca va ma vi lo ro sa te gor ben mon vil cas tor la mi pe"),
		suffixes:  words("ejo illa ares ena ón al ueña osa eda edo"),
		prefixes:  []string{"San ", "Villa", "Torre"},
	}
	slavicStyle = nameStyle{
		syllables: words("bo bre do hra ja ko la mi no po ra so tre vo zli bi kra le"),
		suffixes:  words("ice ov owo any no ín ec ava ica ovo sko"),
		prefixes:  []string{"Nowa ", "Stara ", "Velke ", "Horni "},
	}
	balticStyle = nameStyle{
		syllables: words("ka la pa ru sa ta vi ja ne zu gi ku li ma ro da be do"),
		suffixes:  words("ai iai ava ėnai iškis ciems pils ene uva ste"),
	}
	nordicStyle = nameStyle{
		syllables: words("al bo by dal eks fjal gran hol kal lun mal nor os ros sand sko strö vik"),
		suffixes:  words("by sund holm vik berg köping rup sted lund å"),
		prefixes:  words("Norr Sönder Vester"),
	}
	hungarianStyle = nameStyle{
		syllables: words("ba bo ke sze gy ma pa ha to ve cse do ka re zo ta mo ho"),
		suffixes:  words("háza falva vár hely egyháza szeg telek halom ős"),
		prefixes:  []string{"Nagy", "Kis", "Felső", "Alsó"},
	}
	romanianStyle = nameStyle{
		syllables: words("bu ca cra do ga la mo pi ra si te va zu bo ne ti mi ro"),
		suffixes:  words("ești eni ani ița aru ova oara uți"),
		prefixes:  []string{"Valea ", "Satu "},
	}
	greekStyle = nameStyle{
		syllables: words("ka la ma ni po ro sa ta the xa ko le me pa ri so ty va"),
		suffixes:  words("os ia io ada ini ades aki ona ion"),
		prefixes:  []string{"Agios ", "Nea ", "Ano "},
	}
	irishStyle = nameStyle{
		syllables: words("ma ga ro li na do ca bri ke mo ne ra"),
		suffixes:  words("more beg town ford bridge aun ane in agh"),
		prefixes:  words("Bally Kil Dun Clon Carrick Ros"),
	}
)

func words(s string) []string { return strings.Fields(s) }

// euCountry is how the synthetic data set treats an EU member state: its
// share of the EU municipalities, a rough centre and extent (degrees) for
// coordinates, its name style, and its first-level regions' kind and number.
type euCountry struct {
	code             string
	weight           int
	lat, lon, spread float64
	style            nameStyle
	regionKind       region.Kind
	regions          int
}

var euCountries = []euCountry{
	{"AT", 3, 47.6, 14.1, 1.2, germanStyle, region.KindSTATE, 9},
	{"BE", 3, 50.6, 4.6, 0.6, dutchStyle, region.KindPROVINCE, 10},
	{"BG", 2, 42.7, 25.3, 1.3, slavicStyle, region.KindPROVINCE, 28},
	{"CY", 1, 35.0, 33.2, 0.3, greekStyle, region.KindREGION, 6},
	{"CZ", 4, 49.8, 15.5, 1.0, slavicStyle, region.KindREGION, 14},
	{"DE", 14, 51.1, 10.4, 2.0, germanStyle, region.KindSTATE, 16},
	{"DK", 2, 56.0, 9.5, 0.8, nordicStyle, region.KindREGION, 5},
	{"EE", 1, 58.7, 25.5, 0.8, balticStyle, region.KindCOUNTY, 15},
	{"ES", 9, 40.2, -3.6, 2.5, iberianStyle, region.KindREGION, 17},
	{"FI", 2, 62.5, 26.0, 2.5, nordicStyle, region.KindREGION, 19},
	{"FR", 12, 46.6, 2.4, 2.5, frenchStyle, region.KindREGION, 13},
	{"GR", 3, 39.3, 22.0, 1.5, greekStyle, region.KindREGION, 13},
	{"HR", 2, 45.1, 15.6, 1.0, slavicStyle, region.KindCOUNTY, 21},
	{"HU", 3, 47.2, 19.4, 1.2, hungarianStyle, region.KindCOUNTY, 20},
	{"IE", 1, 53.2, -8.0, 1.0, irishStyle, region.KindCOUNTY, 26},
	{"IT", 11, 42.8, 12.6, 2.5, italianStyle, region.KindREGION, 20},
	{"LT", 2, 55.3, 23.9, 1.0, balticStyle, region.KindCOUNTY, 10},
	{"LU", 1, 49.8, 6.1, 0.2, germanStyle, region.KindREGION, 12},
	{"LV", 1, 56.9, 24.6, 1.0, balticStyle, region.KindREGION, 5},
	{"MT", 1, 35.9, 14.4, 0.1, italianStyle, region.KindREGION, 6},
	{"NL", 3, 52.2, 5.5, 0.8, dutchStyle, region.KindPROVINCE, 12},
	{"PL", 8, 52.0, 19.4, 2.0, slavicStyle, region.KindREGION, 16},
	{"PT", 3, 39.6, -8.0, 1.2, iberianStyle, region.KindREGION, 7},
	{"RO", 5, 45.9, 24.9, 1.8, romanianStyle, region.KindCOUNTY, 42},
	{"SE", 3, 60.1, 15.6, 3.0, nordicStyle, region.KindCOUNTY, 21},
	{"SI", 1, 46.1, 14.8, 0.5, slavicStyle, region.KindREGION, 12},
	{"SK", 2, 48.7, 19.6, 0.8, slavicStyle, region.KindREGION, 8},
}

// oblastCentres are rough centres of the 24 oblasts, where the synthetic
// hromadas are placed (not in Crimea, Sevastopol or the city of Kyiv).
var oblastCentres = map[string][2]float64{
	"Vinnytsia": {49.2, 28.5}, "Volyn": {50.8, 25.3}, "Dnipropetrovsk": {48.4, 35.0}, "Donetsk": {48.0, 37.8},
	"Zhytomyr": {50.3, 28.7}, "Zakarpattia": {48.4, 23.2}, "Zaporizhzhia": {47.8, 35.2}, "Ivano-Frankivsk": {48.9, 24.7},
	"Kyiv": {50.3, 30.5}, "Kirovohrad": {48.5, 32.3}, "Luhansk": {48.6, 39.3}, "Lviv": {49.8, 24.0},
	"Mykolaiv": {47.0, 32.0}, "Odesa": {46.5, 30.7}, "Poltava": {49.6, 34.5}, "Rivne": {50.6, 26.3},
	"Sumy": {50.9, 34.8}, "Ternopil": {49.6, 25.6}, "Kharkiv": {50.0, 36.2}, "Kherson": {46.6, 32.6},
	"Khmelnytskyi": {49.4, 27.0}, "Cherkasy": {49.4, 32.1}, "Chernivtsi": {48.3, 25.9}, "Chernihiv": {51.5, 31.3},
}

// uniqueNames hands out names that are unique within a scope (a country's
// municipalities, a country's regions).
type uniqueNames map[string]bool

// next invents a name in style that scope has not used yet. After many
// collisions (a nearly exhausted style) it numbers the name.
func (u uniqueNames) next(rng *rand.Rand, scope string, style nameStyle) string {
	for attempt := 0; ; attempt++ {
		name := style.make(rng)
		if attempt >= 20 {
			name = fmt.Sprintf("%s %d", name, attempt)
		}
		if key := scope + "/" + name; !u[key] {
			u[key] = true
			return name
		}
	}
}
