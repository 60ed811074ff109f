package importer

import (
	"strings"

	"github.com/bridgesoftrust/hub/ent/region"
	"github.com/bridgesoftrust/hub/internal/collation"
	"github.com/bridgesoftrust/hub/internal/i18n"
)

// countryNames holds the English and Ukrainian names of the countries the
// Hub creates on its own: Ukraine and the member states of the EU.
var countryNames = map[string][2]string{
	"AT": {"Austria", "Австрія"},
	"BE": {"Belgium", "Бельгія"},
	"BG": {"Bulgaria", "Болгарія"},
	"CY": {"Cyprus", "Кіпр"},
	"CZ": {"Czechia", "Чехія"},
	"DE": {"Germany", "Німеччина"},
	"DK": {"Denmark", "Данія"},
	"EE": {"Estonia", "Естонія"},
	"ES": {"Spain", "Іспанія"},
	"FI": {"Finland", "Фінляндія"},
	"FR": {"France", "Франція"},
	"GR": {"Greece", "Греція"},
	"HR": {"Croatia", "Хорватія"},
	"HU": {"Hungary", "Угорщина"},
	"IE": {"Ireland", "Ірландія"},
	"IT": {"Italy", "Італія"},
	"LT": {"Lithuania", "Литва"},
	"LU": {"Luxembourg", "Люксембург"},
	"LV": {"Latvia", "Латвія"},
	"MT": {"Malta", "Мальта"},
	"NL": {"Netherlands", "Нідерланди"},
	"PL": {"Poland", "Польща"},
	"PT": {"Portugal", "Португалія"},
	"RO": {"Romania", "Румунія"},
	"SE": {"Sweden", "Швеція"},
	"SI": {"Slovenia", "Словенія"},
	"SK": {"Slovakia", "Словаччина"},
	"UA": {"Ukraine", "Україна"},
}

// Ukraine is the country code of Ukraine.
const Ukraine = "UA"

// KnownCountries returns the codes of the countries whose names the Hub
// knows, in alphabetical order: Ukraine and the EU member states.
func KnownCountries() []string {
	codes := make([]string, 0, len(countryNames))
	for code := range countryNames {
		codes = append(codes, code)
	}
	return sortedStrings(codes)
}

// CountryName returns the English and Ukrainian names of a country the Hub
// knows (Ukraine or an EU member state) by its code.
func CountryName(code string) (english, ukrainian string, ok bool) {
	names, ok := countryNames[code]
	return names[0], names[1], ok
}

// Oblast is one of Ukraine's 27 first-level divisions: 24 oblasts, the
// Autonomous Republic of Crimea and the two cities with special status.
type Oblast struct {
	// Name is the English name, e.g. "Kharkiv".
	Name string
	// Ukrainian is the Ukrainian name, e.g. "Харківська область".
	Ukrainian string
	// Kind is OBLAST, AUTONOMOUS_REPUBLIC or SPECIAL_STATUS_CITY.
	Kind region.Kind
}

var oblasts = []Oblast{
	{"Vinnytsia", "Вінницька область", region.KindOBLAST},
	{"Volyn", "Волинська область", region.KindOBLAST},
	{"Dnipropetrovsk", "Дніпропетровська область", region.KindOBLAST},
	{"Donetsk", "Донецька область", region.KindOBLAST},
	{"Zhytomyr", "Житомирська область", region.KindOBLAST},
	{"Zakarpattia", "Закарпатська область", region.KindOBLAST},
	{"Zaporizhzhia", "Запорізька область", region.KindOBLAST},
	{"Ivano-Frankivsk", "Івано-Франківська область", region.KindOBLAST},
	{"Kyiv", "Київська область", region.KindOBLAST},
	{"Kirovohrad", "Кіровоградська область", region.KindOBLAST},
	{"Luhansk", "Луганська область", region.KindOBLAST},
	{"Lviv", "Львівська область", region.KindOBLAST},
	{"Mykolaiv", "Миколаївська область", region.KindOBLAST},
	{"Odesa", "Одеська область", region.KindOBLAST},
	{"Poltava", "Полтавська область", region.KindOBLAST},
	{"Rivne", "Рівненська область", region.KindOBLAST},
	{"Sumy", "Сумська область", region.KindOBLAST},
	{"Ternopil", "Тернопільська область", region.KindOBLAST},
	{"Kharkiv", "Харківська область", region.KindOBLAST},
	{"Kherson", "Херсонська область", region.KindOBLAST},
	{"Khmelnytskyi", "Хмельницька область", region.KindOBLAST},
	{"Cherkasy", "Черкаська область", region.KindOBLAST},
	{"Chernivtsi", "Чернівецька область", region.KindOBLAST},
	{"Chernihiv", "Чернігівська область", region.KindOBLAST},
	{"Autonomous Republic of Crimea", "Автономна Республіка Крим", region.KindAUTONOMOUS_REPUBLIC},
	{"Kyiv City", "Київ", region.KindSPECIAL_STATUS_CITY},
	{"Sevastopol City", "Севастополь", region.KindSPECIAL_STATUS_CITY},
}

// Oblasts returns Ukraine's 27 first-level divisions.
func Oblasts() []Oblast { return append([]Oblast(nil), oblasts...) }

// FindOblast finds a Ukrainian first-level division by its English name,
// ignoring case, diacritics and a trailing "oblast" or "region", or by its
// Ukrainian name, so that "Kharkiv", "kharkiv", "Kharkiv Oblast" and
// "Харківська область" all name Kharkiv.
func FindOblast(name string) (Oblast, bool) {
	name = collation.Fold(cleanName(name))
	for _, suffix := range []string{" oblast", " region"} {
		name = strings.TrimSuffix(name, suffix)
	}
	o, ok := oblastsByFold[name]
	return o, ok
}

// oblastsByFold finds the oblasts by the folded forms of their English and
// Ukrainian names.
var oblastsByFold = func() map[string]Oblast {
	out := map[string]Oblast{}
	for _, o := range oblasts {
		out[collation.Fold(o.Name)] = o
		out[collation.Fold(o.Ukrainian)] = o
	}
	return out
}()

// Spec returns the region spec that creates the oblast.
func (o Oblast) Spec() RegionSpec {
	return RegionSpec{Country: Ukraine, Name: o.Name, Kind: o.Kind, Translations: i18n.Texts{i18n.Ukrainian: o.Ukrainian}}
}
