//! Telling the status of a feature from its properties.
//!
//! A [`Classifier`] turns a feature's properties into a [`Classification`]: a territorial
//! [`Status`], or the reason why none could be told. Three schemes exist, chosen on the
//! command line with `--classify`:
//!
//! - `deepstate` (default): the DeepState map export in all its eras, see [`deepstate_status`];
//! - `all:<status>`: every polygon has that status (single-layer exports);
//! - `property:<KEY>` with `--map VALUE=STATUS` pairs: a generic property lookup.

use crate::Status;
use std::str::FromStr;

/// Why a polygon got no status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclassified {
    /// A sentence naming the property values that were looked at.
    pub reason: String,
    /// True when the status is known not to be one of the war's: the map's drawings of
    /// territories outside Ukraine (Transnistria, Abkhazia, "occupied" Karelia...). They are
    /// counted apart from truly unclassified polygons and never measured.
    pub foreign: bool,
}

impl Unclassified {
    fn unknown(reason: String) -> Self {
        Unclassified { reason, foreign: false }
    }
}

/// The outcome of classifying one feature.
pub type Classification = Result<Status, Unclassified>;

/// How statuses are read from feature properties.
///
/// ```
/// use frontline::{Classifier, Status};
/// let deepstate: Classifier = "deepstate".parse().unwrap();
/// let props = |key: &str| (key == "name").then(|| "Окуповано /// Occupied".to_string());
/// assert_eq!(deepstate.classify(props), Ok(Status::Occupied));
///
/// let everything: Classifier = "all:occupied".parse().unwrap();
/// assert_eq!(everything.classify(|_| None), Ok(Status::Occupied));
///
/// let custom = Classifier::property("side", [("red", Status::Occupied), ("grey", Status::Contested)]);
/// assert_eq!(custom.classify(|k: &str| (k == "side").then(|| "Grey".into())), Ok(Status::Contested));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Classifier {
    /// The DeepState export: names in Ukrainian, bilingual or with machine tokens, and the
    /// fill colours the map draws with.
    #[default]
    DeepState,
    /// Every polygon has the given status.
    All(Status),
    /// The status is the value of one property, translated by a table of `VALUE => STATUS`
    /// (compared case-insensitively, surrounding white space ignored).
    Property {
        /// The property key.
        key: String,
        /// The translation table.
        map: Vec<(String, Status)>,
    },
}

impl Classifier {
    /// A property classifier from a key and `(value, status)` pairs.
    pub fn property<K: Into<String>>(
        key: impl Into<String>,
        map: impl IntoIterator<Item = (K, Status)>,
    ) -> Self {
        Classifier::Property {
            key: key.into(),
            map: map.into_iter().map(|(v, s)| (normalize(&v.into()), s)).collect(),
        }
    }

    /// Adds one `VALUE=STATUS` pair (the `--map` option) to a property classifier.
    pub fn add_mapping(&mut self, pair: &str) -> Result<(), String> {
        let Classifier::Property { map, .. } = self else {
            return Err("--map needs --classify property:<KEY>".into());
        };
        let (value, status) = pair
            .rsplit_once('=')
            .ok_or_else(|| format!("--map `{pair}`: expected VALUE=STATUS"))?;
        map.push((normalize(value), status.parse()?));
        Ok(())
    }

    /// Classifies one feature, given a lookup of its properties as text (strings unquoted,
    /// numbers and booleans as written).
    pub fn classify<F>(&self, property: F) -> Classification
    where
        F: Fn(&str) -> Option<String>,
    {
        match self {
            Classifier::DeepState => {
                let name = property("name");
                let fill = property("fill");
                deepstate_status(name.as_deref().unwrap_or(""), fill.as_deref())
            }
            Classifier::All(status) => Ok(*status),
            Classifier::Property { key, map } => {
                let Some(value) = property(key) else {
                    return Err(Unclassified::unknown(format!("no property `{key}`")));
                };
                let wanted = normalize(&value);
                map.iter().find(|(v, _)| *v == wanted).map(|(_, s)| *s).ok_or_else(|| {
                    Unclassified::unknown(format!("`{key}` = `{}` is not in the --map table", value.trim()))
                })
            }
        }
    }
}

impl FromStr for Classifier {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "deepstate" {
            Ok(Classifier::DeepState)
        } else if let Some(status) = s.strip_prefix("all:") {
            Ok(Classifier::All(status.parse()?))
        } else if let Some(key) = s.strip_prefix("property:").filter(|k| !k.is_empty()) {
            Ok(Classifier::Property { key: key.to_string(), map: Vec::new() })
        } else {
            Err(format!(
                "unknown classification `{s}` (expected deepstate, all:<status> or property:<KEY>)"
            ))
        }
    }
}

fn normalize(s: &str) -> String {
    s.replace('\u{a0}', " ").trim().to_lowercase()
}

/// Words of each status in DeepState names, Ukrainian and English, lowercase, matched as
/// whole words (see [`Part`]): `word` is the word itself, `stem*` any word starting so,
/// `stem+` the stem with an adjective ending (Ukrainian inflects: `звільнен+` is
/// звільнено, звільнена, звільнені, звільненої...) but not the neuter `-е`, which is how
/// villages are named (Кримське, Вільне). Several words match consecutive words. Stems
/// that begin the names of places are avoided: `крим` only as Крим, Криму, Кримом (not
/// Кримське, Кримки, a village's name), `kuril` only as a word (not Kurilivka).
const OCCUPIED_WORDS: &[&str] = &[
    "окупован*", "ордло", "крим", "криму", "кримом", "тузла", "зайнят+ ворогом", "захоплен+",
    "occupied", "occupation", "cadr", "calr", "crimea*", "tuzla",
];
/// Territories outside Ukraine that the map also draws (some in earnest, some satirical),
/// by name (their `geoJSON.territories.*` tokens are in [`FOREIGN_TOKENS`]).
const FOREIGN_WORDS: &[&str] = &[
    "придністров'*", "абхаз*", "цхінвал*", "петсамо", "салла", "естоні*", "латві*", "печорськ*",
    "курильськ*", "пруссі*", "карелі*", "ічкері*",
    "transnistria*", "abkhazia*", "tskhinval*", "petsamo", "salla", "estonia*", "latvia*",
    "pechorsky", "kuril", "kurils", "prussia*", "karelia*", "ichkeria*",
];
const CONTESTED_WORDS: &[&str] = &[
    "невідом*", "під питанням", "сір+ зон*", "немає інформації",
    "unknown", "contest*", "contens*", "contenes*", "in doubt", "grey zone", "gray zone",
];
const LIBERATED_WORDS: &[&str] = &[
    "звільнен+", "відбит+", "відкинут+", "під контролем зсу", "орки відсутні",
    "liberated", "taken back", "recaptured", "pushed back",
];
/// The endings of `stem+`: the adjective and participle forms, and the `-о` of the
/// impersonal (окуповано, звільнено), without the neuter `-е` of village names.
const ADJECTIVE_ENDINGS: &[&str] = &["о", "а", "і", "ий", "ої", "ій", "их", "ого", "ому", "у", "ою", "им", "ими"];
/// The `geoJSON.territories.*` tokens of territories outside Ukraine.
const FOREIGN_TOKENS: &[&str] = &[
    "transnistria", "abkhazia", "tskhinvali-district", "petsamo", "salla", "estonia", "latvia",
    "pechorsky-district", "kuril", "prussia", "karelia", "ichkeria",
];

/// Fill colours of the DeepState map, by status, for polygons whose name carries no status
/// (`Багатокутник 21`, i.e. "Polygon 21", a date, a road name).
const OCCUPIED_FILLS: &[&str] = &["#a52714", "#ff5252", "#880e4f", "#000000"];
const CONTESTED_FILLS: &[&str] = &["#bcaaa4", "#bdbdbd", "#757575"];
const LIBERATED_FILLS: &[&str] = &["#0f9d58", "#0288d1", "#01579b"];

/// The status of a DeepState feature from its `name` and `fill` properties.
///
/// In order, the first that applies:
/// 1. a machine token (2024 on): `geoJSON.status.occupied`, `.unknown`, `.dismissed` and
///    `.dismissed_at` (liberated), `geoJSON.territories.ordlo`, `.crimea`, `.tuzla`
///    (occupied), and the territories outside Ukraine (`.transnistria`, `.abkhazia`,
///    `.karelia`...), which are [`Unclassified::foreign`]: not part of this war's map, even
///    where their rough outline spills over Ukraine's border;
/// 2. the words of the English part of a bilingual `Ukrainian /// English` name (the map's
///    own translation, plainer than the free Ukrainian text), then the words of the whole
///    name: territories outside Ukraine first, then occupied, contested and liberated.
///    Words are whole words, after folding non-breaking spaces and case: a village named
///    Кримське or Kurilivka is neither Crimea nor the Kuril islands;
/// 3. the fill colour the map paints the polygon with, for names without a status
///    (`Багатокутник 21`, "Polygon 21"; `Зміїний`, Snake Island, red while occupied in 2022).
pub fn deepstate_status(name: &str, fill: Option<&str>) -> Classification {
    let folded = normalize(name);
    let foreign = || Unclassified { reason: format!("`{}` is a territory outside Ukraine", folded.replace('\n', " ")), foreign: true };
    let (text, token) = without_tokens(&folded);
    match token.as_deref().and_then(token_status) {
        Some(Some(status)) => return Ok(status),
        Some(None) => return Err(foreign()),
        None => {}
    }
    let english = text.split_once("///").map(|(_, english)| english);
    for part in english.into_iter().chain([text.as_str()]) {
        match words_status(part) {
            Some(Some(status)) => return Ok(status),
            Some(None) => return Err(foreign()),
            None => {}
        }
    }
    let fill = fill.map(normalize);
    if let Some(fill) = fill.as_deref() {
        for (status, fills) in [
            (Status::Occupied, OCCUPIED_FILLS),
            (Status::Contested, CONTESTED_FILLS),
            (Status::Liberated, LIBERATED_FILLS),
        ] {
            if fills.contains(&fill) {
                return Ok(status);
            }
        }
    }
    Err(Unclassified::unknown(format!(
        "name `{}` names no status and fill `{}` is not a DeepState status colour",
        folded.replace('\n', " "),
        fill.as_deref().unwrap_or("")
    )))
}

/// A folded name without its machine tokens (`geojson.status.unknown`: their words are not
/// the name's), its apostrophes made one (Придністров'я is written with any of four), and
/// its first token after `geojson.`.
fn without_tokens(folded: &str) -> (String, Option<String>) {
    let is_token = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let (mut text, mut token, mut rest) = (String::with_capacity(folded.len()), None, folded);
    let push = |text: &mut String, part: &str| {
        text.extend(part.chars().map(|c| if matches!(c, '\u{2019}' | '\u{02bc}' | '\u{2018}' | '`') { '\'' } else { c }));
    };
    while let Some(start) = rest.find("geojson.") {
        push(&mut text, &rest[..start]);
        let after = &rest[start + "geojson.".len()..];
        let end = after.find(|c: char| !is_token(c)).unwrap_or(after.len());
        token.get_or_insert_with(|| after[..end].to_string());
        rest = &after[end..];
    }
    push(&mut text, rest);
    (text, token)
}

/// The status of a machine token: `Some(None)` for a territory outside Ukraine, `None` for
/// a token that names no status (`geojson.zmiinyi_island`, Snake Island).
fn token_status(token: &str) -> Option<Option<Status>> {
    let (group, value) = token.split_once('.')?;
    match group {
        "status" if value == "occupied" => Some(Some(Status::Occupied)),
        "status" if value == "unknown" => Some(Some(Status::Contested)),
        "status" if value.starts_with("dismissed") => Some(Some(Status::Liberated)),
        "territories" if matches!(value, "ordlo" | "crimea" | "tuzla") => Some(Some(Status::Occupied)),
        "territories" if FOREIGN_TOKENS.contains(&value) => Some(None),
        _ => None,
    }
}

/// The status the words of a text name (`Some(None)`: a territory outside Ukraine), in
/// precedence order.
fn words_status(text: &str) -> Option<Option<Status>> {
    let words = words_of(text);
    let matched = |pattern: &Vec<Part>| {
        words.windows(pattern.len()).any(|window| window.iter().zip(pattern).all(|(word, part)| part.matches(word)))
    };
    patterns().iter().find(|(_, list)| list.iter().any(matched)).map(|(status, _)| *status)
}

/// The words of a folded text: runs of letters, with their combining marks and inner
/// apostrophes; digits and punctuation separate them ("Taken back16.04" holds "back").
fn words_of(text: &str) -> Vec<&str> {
    let in_word = |c: char| c.is_alphabetic() || c == '\'' || ('\u{300}'..='\u{36f}').contains(&c);
    text.split(|c: char| !in_word(c)).map(|w| w.trim_matches('\'')).filter(|w| !w.is_empty()).collect()
}

/// One word of a pattern of [`OCCUPIED_WORDS`] and the like.
enum Part {
    /// `word`: the word itself.
    Word(&'static str),
    /// `stem*`: a word starting so.
    Stem(&'static str),
    /// `stem+`: the stem and one of [`ADJECTIVE_ENDINGS`].
    Adjective(&'static str),
}

impl Part {
    fn parse(part: &'static str) -> Part {
        match (part.strip_suffix('*'), part.strip_suffix('+')) {
            (Some(stem), _) => Part::Stem(stem),
            (_, Some(stem)) => Part::Adjective(stem),
            _ => Part::Word(part),
        }
    }

    fn matches(&self, word: &str) -> bool {
        match *self {
            Part::Word(part) => word == part,
            Part::Stem(stem) => word.starts_with(stem),
            Part::Adjective(stem) => word.strip_prefix(stem).is_some_and(|end| ADJECTIVE_ENDINGS.contains(&end)),
        }
    }
}

/// A word list as patterns of parts, with its status (`None`: outside Ukraine).
type Patterns = (Option<Status>, Vec<Vec<Part>>);

/// The word lists as patterns, parsed once (every polygon of a snapshot is classified), in
/// precedence order.
fn patterns() -> &'static [Patterns] {
    static PATTERNS: std::sync::OnceLock<Vec<Patterns>> = std::sync::OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            (None, FOREIGN_WORDS),
            (Some(Status::Occupied), OCCUPIED_WORDS),
            (Some(Status::Contested), CONTESTED_WORDS),
            (Some(Status::Liberated), LIBERATED_WORDS),
        ]
        .into_iter()
        .map(|(status, list)| (status, list.iter().map(|pattern| pattern.split(' ').map(Part::parse).collect()).collect()))
        .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(name: &str) -> Classification {
        deepstate_status(name, None)
    }

    #[test]
    fn every_era_of_deepstate_names() {
        use Status::*;
        // 2022, Ukrainian only
        assert_eq!(ds("Окуповано"), Ok(Occupied));
        assert_eq!(ds("ОРДЛО"), Ok(Occupied));
        assert_eq!(ds("Крим"), Ok(Occupied));
        assert_eq!(ds("Під питанням"), Ok(Contested));
        assert_eq!(ds("Невідомо точно при вихід"), Ok(Contested));
        assert_eq!(ds("Звільнено 23.03.2022"), Ok(Liberated));
        assert_eq!(ds("звільнено 26.03.2022"), Ok(Liberated));
        assert_eq!(ds("Рубіжне. Території зайняті ворогом"), Ok(Occupied));
        assert_eq!(ds("Сіра зона"), Ok(Contested));
        assert_eq!(ds("Під контролем ЗСУ"), Ok(Liberated));
        assert_eq!(ds("Захоплено"), Ok(Occupied));
        // bilingual, with typos of the era
        assert_eq!(ds("Статус невідомий /// Unknown status\n"), Ok(Contested));
        assert_eq!(ds("Під питанням /// Contensed\n"), Ok(Contested));
        assert_eq!(ds("Звільнено /// Taken back"), Ok(Liberated));
        assert_eq!(ds("Ворога відкинуто///The enemy was pushed back\n"), Ok(Liberated));
        assert_eq!(ds("Сєвєродонецьк. Території, відбиті у орків.\n\n/// Sieverodonetsk. Recaptured territories.\n"), Ok(Liberated));
        assert_eq!(ds("CADR and CALR"), Ok(Occupied));
        // 2024-2025 tokens, non-breaking spaces, newlines
        assert_eq!(ds("Окуповано /// Occupied\u{a0}/// geoJSON.status.occupied\n"), Ok(Occupied));
        assert_eq!(ds("Статус невідомий /// Unknown status /// geoJSON.status.unknown\n"), Ok(Contested));
        assert_eq!(ds("Звільнено 25.03 /// Liberated 25.03\u{a0}/// geoJSON.status.dismissed_at {{at:25.03}}"), Ok(Liberated));
        assert_eq!(ds("ОРДЛО /// CADR and CALR\u{a0}/// geoJSON.territories.ordlo"), Ok(Occupied));
        assert_eq!(ds("Острів Тузла /// Occupied Tuzla Island\u{a0}/// geoJSON.territories.tuzla"), Ok(Occupied));
        // names damaged in the export (U+FFFD) still carry an English part or a token
        assert_eq!(ds("Ок\u{fffd}\u{fffd}повано /// Occupied"), Ok(Occupied));
        assert_eq!(ds("Звіль\u{fffd}\u{fffd}ено /// Liberated\u{a0}/// geoJSON.status.dismissed"), Ok(Liberated));
        assert_eq!(ds("\u{fffd}\u{fffd}куповано /// Occupied /// geoJSON.status.occupied\n"), Ok(Occupied));
    }

    /// Words are whole, stems start words, and inflected forms match but not the neuter
    /// of village names (the table tests/classify_names.tsv holds many more).
    #[test]
    fn words_are_whole_words() {
        use Status::*;
        assert_eq!(ds("Кримське. Території, відбиті у орків"), Ok(Liberated));
        assert_eq!(ds("Kurilivka /// Liberated"), Ok(Liberated));
        assert!(!ds("Kurilivka").unwrap_err().foreign);
        assert!(!ds("Кримське").unwrap_err().foreign);
        assert!(ds("Окуповані Південні Курильські острови").unwrap_err().foreign);
        assert_eq!(ds("Межа окупованої території"), Ok(Occupied));
        assert_eq!(ds("Північ Криму"), Ok(Occupied));
        assert_eq!(ds("Звільнена Херсонщина"), Ok(Liberated));
        assert!(ds("Звільнене").is_err());
        assert!(ds("Unoccupied").is_err());
        assert_eq!(ds("Сірої зони"), Ok(Contested));
        assert!(ds("Сірий Яр").is_err());
        assert_eq!(words_of("taken back16.04 придністров'я 'x'"), ["taken", "back", "придністров'я", "x"]);
        assert!(ds("Придністров\u{2019}я").unwrap_err().foreign);
    }

    #[test]
    fn tokens_then_the_english_part_then_the_whole_name() {
        use Status::*;
        // a token beats the words, and names a territory outside Ukraine
        assert_eq!(ds("Окуповано /// Occupied /// geoJSON.status.unknown"), Ok(Contested));
        assert!(ds("Окуповано /// Occupied /// geoJSON.territories.karelia").unwrap_err().foreign);
        // a token naming no status leaves the words to tell, and its own words are not read
        assert_eq!(ds("Окуповано /// geoJSON.territories.somewhere"), Ok(Occupied));
        assert_eq!(deepstate_status("Міст /// Bridge /// geoJSON.territories.crimea_bridge", Some("#0f9d58")), Ok(Liberated));
        // the English part beats the Ukrainian, which tells when the English does not
        assert_eq!(ds("Окуповано /// Liberated"), Ok(Liberated));
        assert_eq!(ds("Окуповано /// Snake Island"), Ok(Occupied));
        // without `///` the whole name is read, territories outside Ukraine first
        assert!(ds("Occupied Abkhazia").unwrap_err().foreign);
        assert_eq!(ds("Рубіжне. Території зайняті ворогом // Rubizhne. Territory under occupation"), Ok(Occupied));
    }

    #[test]
    fn names_without_status_fall_back_to_the_fill_colour() {
        // Snake Island was occupied until 30 June 2022: red before, blue after.
        assert_eq!(deepstate_status("Зміїний", Some("#a52714")), Ok(Status::Occupied));
        assert_eq!(deepstate_status("Зміїний ///\u{a0}Snake Island", Some("#0288d1")), Ok(Status::Liberated));
        // "Polygon 21": an unnamed polygon drawn in the occupied colour (March 2025).
        assert_eq!(deepstate_status("Багатокутник 21", Some("#A52714")), Ok(Status::Occupied));
        assert_eq!(deepstate_status("24.03", Some("#0288d1")), Ok(Status::Liberated));
        assert_eq!(deepstate_status("Дорога Тростянець-Суми 31.03", Some("#0f9d58")), Ok(Status::Liberated));
        // Grey, and its name says only that nothing is known of the enemy's presence.
        assert_eq!(
            deepstate_status("Фактично контролюється ворогом, але немає інформації про його перебування тут", Some("#bdbdbd")),
            Ok(Status::Contested)
        );
        let err = deepstate_status("Багатокутник 47", Some("#123456")).unwrap_err();
        assert!(err.reason.contains("#123456"), "{}", err.reason);
    }

    #[test]
    fn territories_outside_ukraine_are_foreign_not_occupied() {
        for name in [
            "Придністров'я",
            "Придністров'я/// Transnistria /// geoJSON.territories.transnistria",
            "Окупована Абхазія.\n///\nOccupied Abkhazia.\n/// geoJSON.territories.abkhazia\n",
            "Аннексовані у Естонії території /// Annexed from Estonia territories\n",
            "Тимчасово окупована східна Пруссія///East Prussia is temporarily occupied",
        ] {
            let err = deepstate_status(name, Some("#ff5252")).unwrap_err();
            assert!(err.foreign, "{name}");
        }
        assert!(!deepstate_status("Багатокутник 47", None).unwrap_err().foreign);
    }

    #[test]
    fn a_status_in_the_name_beats_the_colour() {
        assert_eq!(deepstate_status("Звільнено /// Liberated", Some("#bcaaa4")), Ok(Status::Liberated));
    }

    #[test]
    fn property_and_all_schemes() {
        let mut c: Classifier = "property:side".parse().unwrap();
        c.add_mapping("RU=occupied").unwrap();
        c.add_mapping("grey zone=contested").unwrap();
        let get = |v: &'static str| move |k: &str| (k == "side").then(|| v.to_string());
        assert_eq!(c.classify(get(" ru ")), Ok(Status::Occupied));
        assert_eq!(c.classify(get("Grey Zone")), Ok(Status::Contested));
        assert!(c.classify(get("UA")).is_err());
        assert!(c.classify(|_| None).is_err());
        assert!("all:nobody".parse::<Classifier>().is_err());
        assert!("property:".parse::<Classifier>().is_err());
        assert!(Classifier::DeepState.add_mapping("a=occupied").is_err());
        assert!(c.add_mapping("no-equals-sign").is_err());
    }

    #[test]
    fn deepstate_status_example() {
        use crate::{input::classify::deepstate_status, Status};
        assert_eq!(deepstate_status("Під питанням", None), Ok(Status::Contested));
        assert_eq!(
            deepstate_status("Звільнено /// Liberated\u{a0}/// geoJSON.status.dismissed\n", None),
            Ok(Status::Liberated)
        );
        assert_eq!(deepstate_status("Багатокутник 21", Some("#a52714")), Ok(Status::Occupied));
        assert!(deepstate_status("Багатокутник 21", None).is_err());
    }

    #[test]
    fn the_names_of_every_era_and_a_village_named_after_crimea() {
        assert_eq!(deepstate_status("Під питанням", None), Ok(Status::Contested));
        assert_eq!(deepstate_status("Звільнено /// Liberated\u{a0}/// geoJSON.status.dismissed\n", None), Ok(Status::Liberated));
        assert_eq!(deepstate_status("Кримське. Території, відбиті у орків", None), Ok(Status::Liberated));
        assert_eq!(deepstate_status("Багатокутник 21", Some("#a52714")), Ok(Status::Occupied));
        assert!(deepstate_status("Багатокутник 21", None).is_err());
    }
}
