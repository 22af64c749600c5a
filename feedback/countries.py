"""Countries as ISO 3166-1 alpha-2 codes, from what people write: a code, a common alias or a name.

`code` turns ``"UK"``, ``"EL"``, ``"the Netherlands"``, ``"Duitsland"`` or ``"gb"`` into its code
(``GB``, ``GR``, ``NL``, ``DE``) and refuses anything else with `UnknownCountry`, whose message
suggests the closest known codes and names. Names are known in English and Dutch (the languages of
the shipped surveys); a caller adds others (a survey's own labels, a project's aliases) through
``extra``. Names are matched ignoring case, accents, punctuation and a leading "the".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

#: ISO 3166-1 alpha-2 code, English name, Dutch name. ``XK`` (Kosovo) is a user-assigned code,
#: used by the European Union and the UN; every other code is officially assigned.
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("AD", "Andorra", "Andorra"),
    ("AE", "United Arab Emirates", "Verenigde Arabische Emiraten"),
    ("AF", "Afghanistan", "Afghanistan"),
    ("AG", "Antigua and Barbuda", "Antigua en Barbuda"),
    ("AI", "Anguilla", "Anguilla"),
    ("AL", "Albania", "Albanië"),
    ("AM", "Armenia", "Armenië"),
    ("AO", "Angola", "Angola"),
    ("AQ", "Antarctica", "Antarctica"),
    ("AR", "Argentina", "Argentinië"),
    ("AS", "American Samoa", "Amerikaans-Samoa"),
    ("AT", "Austria", "Oostenrijk"),
    ("AU", "Australia", "Australië"),
    ("AW", "Aruba", "Aruba"),
    ("AX", "Åland Islands", "Åland"),
    ("AZ", "Azerbaijan", "Azerbeidzjan"),
    ("BA", "Bosnia and Herzegovina", "Bosnië en Herzegovina"),
    ("BB", "Barbados", "Barbados"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("BE", "Belgium", "België"),
    ("BF", "Burkina Faso", "Burkina Faso"),
    ("BG", "Bulgaria", "Bulgarije"),
    ("BH", "Bahrain", "Bahrein"),
    ("BI", "Burundi", "Burundi"),
    ("BJ", "Benin", "Benin"),
    ("BL", "Saint Barthélemy", "Saint-Barthélemy"),
    ("BM", "Bermuda", "Bermuda"),
    ("BN", "Brunei", "Brunei"),
    ("BO", "Bolivia", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba", "Caribisch Nederland"),
    ("BR", "Brazil", "Brazilië"),
    ("BS", "Bahamas", "Bahama's"),
    ("BT", "Bhutan", "Bhutan"),
    ("BV", "Bouvet Island", "Bouveteiland"),
    ("BW", "Botswana", "Botswana"),
    ("BY", "Belarus", "Belarus"),
    ("BZ", "Belize", "Belize"),
    ("CA", "Canada", "Canada"),
    ("CC", "Cocos (Keeling) Islands", "Cocoseilanden"),
    ("CD", "Democratic Republic of the Congo", "Democratische Republiek Congo"),
    ("CF", "Central African Republic", "Centraal-Afrikaanse Republiek"),
    ("CG", "Congo", "Congo-Brazzaville"),
    ("CH", "Switzerland", "Zwitserland"),
    ("CI", "Côte d'Ivoire", "Ivoorkust"),
    ("CK", "Cook Islands", "Cookeilanden"),
    ("CL", "Chile", "Chili"),
    ("CM", "Cameroon", "Kameroen"),
    ("CN", "China", "China"),
    ("CO", "Colombia", "Colombia"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("CU", "Cuba", "Cuba"),
    ("CV", "Cabo Verde", "Kaapverdië"),
    ("CW", "Curaçao", "Curaçao"),
    ("CX", "Christmas Island", "Christmaseiland"),
    ("CY", "Cyprus", "Cyprus"),
    ("CZ", "Czechia", "Tsjechië"),
    ("DE", "Germany", "Duitsland"),
    ("DJ", "Djibouti", "Djibouti"),
    ("DK", "Denmark", "Denemarken"),
    ("DM", "Dominica", "Dominica"),
    ("DO", "Dominican Republic", "Dominicaanse Republiek"),
    ("DZ", "Algeria", "Algerije"),
    ("EC", "Ecuador", "Ecuador"),
    ("EE", "Estonia", "Estland"),
    ("EG", "Egypt", "Egypte"),
    ("EH", "Western Sahara", "Westelijke Sahara"),
    ("ER", "Eritrea", "Eritrea"),
    ("ES", "Spain", "Spanje"),
    ("ET", "Ethiopia", "Ethiopië"),
    ("FI", "Finland", "Finland"),
    ("FJ", "Fiji", "Fiji"),
    ("FK", "Falkland Islands", "Falklandeilanden"),
    ("FM", "Micronesia", "Micronesië"),
    ("FO", "Faroe Islands", "Faeröer"),
    ("FR", "France", "Frankrijk"),
    ("GA", "Gabon", "Gabon"),
    ("GB", "United Kingdom", "Verenigd Koninkrijk"),
    ("GD", "Grenada", "Grenada"),
    ("GE", "Georgia", "Georgië"),
    ("GF", "French Guiana", "Frans-Guyana"),
    ("GG", "Guernsey", "Guernsey"),
    ("GH", "Ghana", "Ghana"),
    ("GI", "Gibraltar", "Gibraltar"),
    ("GL", "Greenland", "Groenland"),
    ("GM", "Gambia", "Gambia"),
    ("GN", "Guinea", "Guinee"),
    ("GP", "Guadeloupe", "Guadeloupe"),
    ("GQ", "Equatorial Guinea", "Equatoriaal-Guinea"),
    ("GR", "Greece", "Griekenland"),
    ("GS", "South Georgia and the South Sandwich Islands", "Zuid-Georgia en de Zuidelijke Sandwicheilanden"),
    ("GT", "Guatemala", "Guatemala"),
    ("GU", "Guam", "Guam"),
    ("GW", "Guinea-Bissau", "Guinee-Bissau"),
    ("GY", "Guyana", "Guyana"),
    ("HK", "Hong Kong", "Hongkong"),
    ("HM", "Heard Island and McDonald Islands", "Heard en McDonaldeilanden"),
    ("HN", "Honduras", "Honduras"),
    ("HR", "Croatia", "Kroatië"),
    ("HT", "Haiti", "Haïti"),
    ("HU", "Hungary", "Hongarije"),
    ("ID", "Indonesia", "Indonesië"),
    ("IE", "Ireland", "Ierland"),
    ("IL", "Israel", "Israël"),
    ("IM", "Isle of Man", "Man"),
    ("IN", "India", "India"),
    ("IO", "British Indian Ocean Territory", "Brits Indische Oceaanterritorium"),
    ("IQ", "Iraq", "Irak"),
    ("IR", "Iran", "Iran"),
    ("IS", "Iceland", "IJsland"),
    ("IT", "Italy", "Italië"),
    ("JE", "Jersey", "Jersey"),
    ("JM", "Jamaica", "Jamaica"),
    ("JO", "Jordan", "Jordanië"),
    ("JP", "Japan", "Japan"),
    ("KE", "Kenya", "Kenia"),
    ("KG", "Kyrgyzstan", "Kirgizië"),
    ("KH", "Cambodia", "Cambodja"),
    ("KI", "Kiribati", "Kiribati"),
    ("KM", "Comoros", "Comoren"),
    ("KN", "Saint Kitts and Nevis", "Saint Kitts en Nevis"),
    ("KP", "North Korea", "Noord-Korea"),
    ("KR", "South Korea", "Zuid-Korea"),
    ("KW", "Kuwait", "Koeweit"),
    ("KY", "Cayman Islands", "Kaaimaneilanden"),
    ("KZ", "Kazakhstan", "Kazachstan"),
    ("LA", "Laos", "Laos"),
    ("LB", "Lebanon", "Libanon"),
    ("LC", "Saint Lucia", "Saint Lucia"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LK", "Sri Lanka", "Sri Lanka"),
    ("LR", "Liberia", "Liberia"),
    ("LS", "Lesotho", "Lesotho"),
    ("LT", "Lithuania", "Litouwen"),
    ("LU", "Luxembourg", "Luxemburg"),
    ("LV", "Latvia", "Letland"),
    ("LY", "Libya", "Libië"),
    ("MA", "Morocco", "Marokko"),
    ("MC", "Monaco", "Monaco"),
    ("MD", "Moldova", "Moldavië"),
    ("ME", "Montenegro", "Montenegro"),
    ("MF", "Saint Martin (French part)", "Saint-Martin"),
    ("MG", "Madagascar", "Madagaskar"),
    ("MH", "Marshall Islands", "Marshalleilanden"),
    ("MK", "North Macedonia", "Noord-Macedonië"),
    ("ML", "Mali", "Mali"),
    ("MM", "Myanmar", "Myanmar"),
    ("MN", "Mongolia", "Mongolië"),
    ("MO", "Macao", "Macau"),
    ("MP", "Northern Mariana Islands", "Noordelijke Marianen"),
    ("MQ", "Martinique", "Martinique"),
    ("MR", "Mauritania", "Mauritanië"),
    ("MS", "Montserrat", "Montserrat"),
    ("MT", "Malta", "Malta"),
    ("MU", "Mauritius", "Mauritius"),
    ("MV", "Maldives", "Maldiven"),
    ("MW", "Malawi", "Malawi"),
    ("MX", "Mexico", "Mexico"),
    ("MY", "Malaysia", "Maleisië"),
    ("MZ", "Mozambique", "Mozambique"),
    ("NA", "Namibia", "Namibië"),
    ("NC", "New Caledonia", "Nieuw-Caledonië"),
    ("NE", "Niger", "Niger"),
    ("NF", "Norfolk Island", "Norfolk"),
    ("NG", "Nigeria", "Nigeria"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("NL", "Netherlands", "Nederland"),
    ("NO", "Norway", "Noorwegen"),
    ("NP", "Nepal", "Nepal"),
    ("NR", "Nauru", "Nauru"),
    ("NU", "Niue", "Niue"),
    ("NZ", "New Zealand", "Nieuw-Zeeland"),
    ("OM", "Oman", "Oman"),
    ("PA", "Panama", "Panama"),
    ("PE", "Peru", "Peru"),
    ("PF", "French Polynesia", "Frans-Polynesië"),
    ("PG", "Papua New Guinea", "Papoea-Nieuw-Guinea"),
    ("PH", "Philippines", "Filipijnen"),
    ("PK", "Pakistan", "Pakistan"),
    ("PL", "Poland", "Polen"),
    ("PM", "Saint Pierre and Miquelon", "Saint-Pierre en Miquelon"),
    ("PN", "Pitcairn", "Pitcairneilanden"),
    ("PR", "Puerto Rico", "Puerto Rico"),
    ("PS", "Palestine", "Palestina"),
    ("PT", "Portugal", "Portugal"),
    ("PW", "Palau", "Palau"),
    ("PY", "Paraguay", "Paraguay"),
    ("QA", "Qatar", "Qatar"),
    ("RE", "Réunion", "Réunion"),
    ("RO", "Romania", "Roemenië"),
    ("RS", "Serbia", "Servië"),
    ("RU", "Russia", "Rusland"),
    ("RW", "Rwanda", "Rwanda"),
    ("SA", "Saudi Arabia", "Saoedi-Arabië"),
    ("SB", "Solomon Islands", "Salomonseilanden"),
    ("SC", "Seychelles", "Seychellen"),
    ("SD", "Sudan", "Soedan"),
    ("SE", "Sweden", "Zweden"),
    ("SG", "Singapore", "Singapore"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha", "Sint-Helena, Ascension en Tristan da Cunha"),
    ("SI", "Slovenia", "Slovenië"),
    ("SJ", "Svalbard and Jan Mayen", "Spitsbergen en Jan Mayen"),
    ("SK", "Slovakia", "Slowakije"),
    ("SL", "Sierra Leone", "Sierra Leone"),
    ("SM", "San Marino", "San Marino"),
    ("SN", "Senegal", "Senegal"),
    ("SO", "Somalia", "Somalië"),
    ("SR", "Suriname", "Suriname"),
    ("SS", "South Sudan", "Zuid-Soedan"),
    ("ST", "Sao Tome and Principe", "Sao Tomé en Principe"),
    ("SV", "El Salvador", "El Salvador"),
    ("SX", "Sint Maarten (Dutch part)", "Sint Maarten"),
    ("SY", "Syria", "Syrië"),
    ("SZ", "Eswatini", "Eswatini"),
    ("TC", "Turks and Caicos Islands", "Turks- en Caicoseilanden"),
    ("TD", "Chad", "Tsjaad"),
    ("TF", "French Southern Territories", "Franse Zuidelijke en Antarctische Gebieden"),
    ("TG", "Togo", "Togo"),
    ("TH", "Thailand", "Thailand"),
    ("TJ", "Tajikistan", "Tadzjikistan"),
    ("TK", "Tokelau", "Tokelau"),
    ("TL", "Timor-Leste", "Oost-Timor"),
    ("TM", "Turkmenistan", "Turkmenistan"),
    ("TN", "Tunisia", "Tunesië"),
    ("TO", "Tonga", "Tonga"),
    ("TR", "Türkiye", "Turkije"),
    ("TT", "Trinidad and Tobago", "Trinidad en Tobago"),
    ("TV", "Tuvalu", "Tuvalu"),
    ("TW", "Taiwan", "Taiwan"),
    ("TZ", "Tanzania", "Tanzania"),
    ("UA", "Ukraine", "Oekraïne"),
    ("UG", "Uganda", "Oeganda"),
    ("UM", "United States Minor Outlying Islands", "Kleine afgelegen eilanden van de Verenigde Staten"),
    ("US", "United States", "Verenigde Staten"),
    ("UY", "Uruguay", "Uruguay"),
    ("UZ", "Uzbekistan", "Oezbekistan"),
    ("VA", "Holy See", "Vaticaanstad"),
    ("VC", "Saint Vincent and the Grenadines", "Saint Vincent en de Grenadines"),
    ("VE", "Venezuela", "Venezuela"),
    ("VG", "British Virgin Islands", "Britse Maagdeneilanden"),
    ("VI", "United States Virgin Islands", "Amerikaanse Maagdeneilanden"),
    ("VN", "Viet Nam", "Vietnam"),
    ("VU", "Vanuatu", "Vanuatu"),
    ("WF", "Wallis and Futuna", "Wallis en Futuna"),
    ("WS", "Samoa", "Samoa"),
    ("XK", "Kosovo", "Kosovo"),
    ("YE", "Yemen", "Jemen"),
    ("YT", "Mayotte", "Mayotte"),
    ("ZA", "South Africa", "Zuid-Afrika"),
    ("ZM", "Zambia", "Zambia"),
    ("ZW", "Zimbabwe", "Zimbabwe"),
)  # fmt: skip

#: Every known code.
CODES: frozenset[str] = frozenset(code for code, _, _ in COUNTRIES)
#: English names by code.
ENGLISH: dict[str, str] = {code: en for code, en, _ in COUNTRIES}
#: Dutch names by code.
DUTCH: dict[str, str] = {code: nl for code, _, nl in COUNTRIES}

#: Codes and names people write for a country that are not its code or its name above.
ALIASES: dict[str, str] = {
    # codes in common use that are not the ISO code
    "UK": "GB",  # the United Kingdom's own domain and EU usage
    "EL": "GR",  # Greece in European Union documents
    # other names
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Groot-Brittannië": "GB",
    "Engeland": "GB",
    "Schotland": "GB",
    "Holland": "NL",
    "Kingdom of the Netherlands": "NL",
    "Koninkrijk der Nederlanden": "NL",
    "Czech Republic": "CZ",
    "Tsjechische Republiek": "CZ",
    "Slovak Republic": "SK",
    "Macedonia": "MK",
    "Republic of North Macedonia": "MK",
    "Macedonië": "MK",
    "Moldova, Republic of": "MD",
    "Republic of Moldova": "MD",
    "Russian Federation": "RU",
    "Russische Federatie": "RU",
    "Turkey": "TR",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Heilige Stoel": "VA",
    "USA": "US",
    "United States of America": "US",
    "Verenigde Staten van Amerika": "US",
    "Vietnam": "VN",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Burma": "MM",
    "East Timor": "TL",
    "Republic of Korea": "KR",
    "Democratic People's Republic of Korea": "KP",
    "DR Congo": "CD",
    "DRC": "CD",
    "Republic of the Congo": "CG",
    "Syrian Arab Republic": "SY",
    "Lao People's Democratic Republic": "LA",
    "Iran, Islamic Republic of": "IR",
    "Bolivia, Plurinational State of": "BO",
    "Venezuela, Bolivarian Republic of": "VE",
    "Tanzania, United Republic of": "TZ",
    "State of Palestine": "PS",
    "Brunei Darussalam": "BN",
    "Wit-Rusland": "BY",
    "Byelorussia": "BY",
    "Bosnia": "BA",
    "Bosnië": "BA",
    "Bosnia-Herzegovina": "BA",
    "Deutschland": "DE",
    "Österreich": "AT",
    "España": "ES",
    "Sverige": "SE",
    "Danmark": "DK",
    "Norge": "NO",
    "Suomi": "FI",
    "Polska": "PL",
    "Magyarország": "HU",
    "Hellas": "GR",
    "Éire": "IE",
    "Italia": "IT",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Belgique": "BE",
    "Belgien": "BE",
    "Lëtzebuerg": "LU",
}


class UnknownCountry(ValueError):
    """A value that is neither a known code nor a known alias or name of a country."""

    def __init__(self, value: str, suggestions: list[str]):
        self.value = value
        self.suggestions = suggestions
        super().__init__(
            f"unknown country {value!r}: expected an ISO 3166 two-letter code such as NL or GB, "
            f"or a country's name{either(suggestions)}"
        )


def normal(value: str) -> str:
    """A name as it is matched: lower case, no accents, punctuation as spaces, no leading "the"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", " ", plain).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _table(extra: Mapping[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, en, nl in COUNTRIES:
        table[normal(en)] = table[normal(nl)] = code
    for alias, code in ALIASES.items():
        table[normal(alias)] = code
    for alias, code in extra.items():
        table[normal(alias)] = code
    return table


_BUILT_IN = _table({})


class Countries:
    """The countries a value may name: the built-in codes, names and aliases, and ``extra`` ones
    (a name or code to a code: a survey's labels in its other languages, a project's aliases).

    :raises ValueError: an ``extra`` alias names a code that is not a known country.
    """

    def __init__(self, extra: Mapping[str, str] | None = None):
        extra = dict(extra or {})
        for alias, target in extra.items():
            if target.strip().upper() not in CODES:
                raise ValueError(
                    f"alias {alias!r} names {target!r}, which is not an ISO 3166 two-letter "
                    "country code" + _hint(target)
                )
        self.names = (
            _table({a: t.strip().upper() for a, t in extra.items()}) if extra else _BUILT_IN
        )

    def code(self, value: str) -> str:
        """The ISO 3166-1 alpha-2 code ``value`` stands for.

        :raises UnknownCountry: it is no known code, alias or name; with the closest suggestions.
        """
        text = value.strip()
        if text.upper() in CODES:
            return text.upper()
        key = normal(text)
        if text.upper() in ALIASES:
            return ALIASES[text.upper()]
        if key in self.names:
            return self.names[key]
        raise UnknownCountry(value, self.suggest(value))

    def suggest(self, value: str, n: int = 3) -> list[str]:
        """The closest known countries to ``value``, as ``'GB' (United Kingdom)``."""
        text = value.strip()
        found: list[str] = []
        if len(text) <= 3:  # a mistyped code: codes that differ by a letter
            found += difflib.get_close_matches(text.upper(), sorted(CODES), n=n, cutoff=0.5)
        key = normal(text)
        close = difflib.get_close_matches(key, list(self.names), n=n * 2, cutoff=0.6)
        scores = [difflib.SequenceMatcher(None, key, name).ratio() for name in close]
        for name, ratio in zip(close, scores, strict=True):
            code = self.names[name]
            if code not in found and ratio >= scores[0] - 0.1:  # only the about as close
                found.append(code)
        return [f"'{c}' ({ENGLISH[c]})" for c in found[:n]]


def code(value: str) -> str:
    """The ISO 3166-1 alpha-2 code of a code, alias or English or Dutch name (see `Countries`).

    :raises UnknownCountry: not a country this module knows; the message suggests the closest.
    """
    return _DEFAULT.code(value)


def either(suggestions: list[str]) -> str:
    """``"; did you mean 'a', 'b' or 'c'?"`` (``""`` for none)."""
    if not suggestions:
        return ""
    if len(suggestions) == 1:
        return f"; did you mean {suggestions[0]}?"
    return f"; did you mean {', '.join(suggestions[:-1])} or {suggestions[-1]}?"


def _hint(value: str) -> str:
    return either(_DEFAULT.suggest(value))


def names(codes: Iterable[str], language: str = "en") -> dict[str, str]:
    """The name of each code in ``language`` (``en`` or ``nl``; English otherwise)."""
    table = DUTCH if language == "nl" else ENGLISH
    return {c: table.get(c, c) for c in codes}


_DEFAULT = Countries()
