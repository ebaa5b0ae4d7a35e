//! Word lists the text model relies on, in one place per concern. Adding a language's speech
//! verbs or pronouns is a change here only.

use std::sync::OnceLock;

/// A fixed word list with constant-time lookup (built on first use).
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<Index>,
}

struct Index {
    /// Fx-hashed: the set is fixed, so no input can grow a collision chain in it. Keyed by
    /// bytes, so a word lower-cased on the stack needs no UTF-8 check to be looked up.
    set: rustc_hash::FxHashSet<&'static [u8]>,
    /// For each length below 32, which first bytes the list's words of that length start
    /// with (a bit per letter a–z, one for anything else): most words looked up are not in
    /// the list, and most of those are turned away here without hashing.
    shapes: [u32; 32],
}

/// The bit of a word's first byte in [`Index::shapes`].
fn shape_bit(first: u8) -> u32 {
    match first {
        b'a'..=b'z' => 1 << (first - b'a'),
        _ => 1 << 26,
    }
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            index: OnceLock::new(),
        }
    }

    pub fn contains(&self, w: &str) -> bool {
        self.contains_bytes(w.as_bytes())
    }

    fn contains_bytes(&self, w: &[u8]) -> bool {
        let index = self.index.get_or_init(|| {
            let mut shapes = [0u32; 32];
            for w in self.words.iter().map(|w| w.as_bytes()) {
                if let (Some(&first), Some(shape)) = (w.first(), shapes.get_mut(w.len())) {
                    *shape |= shape_bit(first);
                }
            }
            Index {
                set: self.words.iter().map(|w| w.as_bytes()).collect(),
                shapes,
            }
        });
        match (w.first(), index.shapes.get(w.len())) {
            (None, _) => index.set.contains(w),
            (Some(&first), Some(shape)) if shape & shape_bit(first) == 0 => false,
            _ => index.set.contains(w),
        }
    }

    /// Is `w`, lower-cased, in the list? Short ASCII words are lower-cased on the stack (this
    /// runs for every word of every sentence).
    pub fn contains_lower(&self, w: &str) -> bool {
        let mut buf = [0u8; 48];
        if w.is_ascii() && w.len() <= buf.len() {
            let lower = &mut buf[..w.len()];
            lower.copy_from_slice(w.as_bytes());
            lower.make_ascii_lowercase();
            return self.contains_bytes(lower);
        }
        self.contains(&w.to_lowercase())
    }

    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

/// Words that end in a dot without ending the sentence (lower case, without the final dot).
pub static ABBREVIATIONS: WordSet = WordSet::new(&[
    // Not "hon", "sen" or "no": Swedish "she", "late" and English "no" end sentences.
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov", "rep",
    "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "vol", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "approx", "ca", "est", "dept",
    "univ", "rev", "pres", "gov't", "fig", "pp", "bl.a", "t.ex", "dvs", "m.m", "s.k", "kl", "nr",
    "resp", "jfr", "ev", "fr.o.m", "t.o.m", "mme", "mlle", "m", "z.b", "bzw", "usw", "sr", "sra",
]);

/// Words that count the dead or hurt ("killed", "death toll", "omkom"): a sentence with one
/// of them and a figure gives a toll.
pub static TOLL_WORDS: WordSet = WordSet::new(&[
    "killed",
    "dead",
    "deaths",
    "died",
    "toll",
    "wounded",
    "injured",
    "hurt",
    "casualties",
    "fatalities",
    "lives",
    "döda",
    "dödade",
    "dödats",
    "dödades",
    "omkom",
    "omkommit",
    "omkomna",
    "dödsoffer",
    "dödssiffran",
    "dödstalet",
    "skadade",
    "skadades",
    "sårade",
    "morts",
    "tués",
    "blessés",
    "toten",
    "todesopfer",
    "getötet",
    "verletzte",
    "muertos",
    "heridos",
    "fallecidos",
    "morti",
    "feriti",
]);

/// Verbs and phrases that attribute speech, per language. Multi-word entries match as phrases.
pub static SPEECH_VERBS: WordSet = WordSet::new(&[
    // English
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "warned",
    "warns",
    "insisted",
    "insists",
    "declared",
    "declares",
    "explained",
    "explains",
    "noted",
    "notes",
    "announced",
    "announces",
    "wrote",
    "writes",
    "tweeted",
    "asked",
    "asks",
    "replied",
    "replies",
    "claimed",
    "claims",
    "argued",
    "argues",
    "urged",
    "urges",
    "stressed",
    "stresses",
    "continued",
    "acknowledged",
    "admitted",
    "confirmed",
    "confirms",
    "according to",
    "quoted",
    "recalled",
    "remarked",
    "pledged",
    "vowed",
    "promised",
    "conceded",
    "cautioned",
    "suggested",
    "observed",
    "commented",
    "responded",
    "answered",
    "concluded",
    "demanded",
    "predicted",
    "reiterated",
    "emphasised",
    "emphasized",
    "shouted",
    "chanted",
    "yelled",
    "screamed",
    "whispered",
    "exclaimed",
    "joked",
    "quipped",
    "complained",
    "countered",
    "boasted",
    "lamented",
    "recounted",
    "maintained",
    "posted",
    "testified",
    "assured",
    "insisting",
    "saying",
    "telling",
    "adding",
    "warning",
    // Swedish
    "säger",
    "sa",
    "sade",
    "skriver",
    "berättar",
    "förklarar",
    "enligt",
    "uppger",
    "menar",
    "tillägger",
    "konstaterar",
    "understryker",
    "fortsätter",
    "svarar",
    "påpekar",
    "betonar",
    "hävdar",
    "skrev",
    "berättade",
    "förklarade",
    "uppgav",
    "sade",
    "varnar",
    "varnade",
    "frågar",
    "tycker",
    "anser",
    "framhåller",
    "meddelar",
    "meddelade",
    "twittrar",
    "bekräftar",
    "bekräftade",
    // past and perfect forms ("har försvarsadvokaten sagt", "menade Madsen")
    "frågade",
    "tvittrade",
    "twittrade",
    "tvittrar",
    "sagt",
    "menade",
    "påpekade",
    "betonade",
    "hävdade",
    "konstaterade",
    "tillade",
    "svarade",
    "underströk",
    "framhöll",
    "uppgett",
    "uppgivit",
    "skrivit",
    "berättat",
    "förklarat",
    // Norwegian / Danish
    "sier",
    "siger",
    "sagde",
    "skriver",
    "ifølge",
    "uttaler",
    "udtaler",
    "uttalte",
    "udtalte",
    "forteller",
    "fortæller",
    "fortalte",
    "tilføjer",
    "legger til",
    "understreker",
    "understreger",
    "opplyser",
    "oplyser",
    // Dutch
    "zei",
    "zegt",
    "aldus",
    "volgens",
    "verklaarde",
    "verklaart",
    "schreef",
    "benadrukte",
    "waarschuwde",
    "vertelde",
    "liet weten",
    // French
    "a déclaré",
    "a dit",
    "a affirmé",
    "selon",
    "affirme",
    "déclare",
    "a ajouté",
    "estime",
    "a estimé",
    "a expliqué",
    "explique",
    "a souligné",
    "souligne",
    "a indiqué",
    "indique",
    "a précisé",
    "précise",
    "a confié",
    "confie",
    "a assuré",
    "assure",
    "a annoncé",
    "a averti",
    "prévient",
    "a répondu",
    "répond",
    "a insisté",
    "insiste",
    "a martelé",
    "martèle",
    "a lancé",
    "a poursuivi",
    "poursuit",
    "a rappelé",
    "rappelle",
    "a reconnu",
    "a raconté",
    "raconte",
    "a témoigné",
    "témoigne",
    "ajoute",
    "dit",
    "a écrit",
    "écrit",
    "a conclu",
    "conclut",
    "a commenté",
    "a réagi",
    "a fait savoir",
    "d'après",
    // German
    "sagte",
    "sagt",
    "erklärte",
    "erklärt",
    "laut",
    "betonte",
    "betont",
    "fügte",
    "meinte",
    "teilte",
    "warnte",
    "warnt",
    "forderte",
    "versicherte",
    "bestätigte",
    "schrieb",
    "twitterte",
    "ergänzte",
    "berichtete",
    "erläuterte",
    "unterstrich",
    "mahnte",
    "antwortete",
    // Spanish / Portuguese / Italian
    "dijo",
    "afirmó",
    "según",
    "declaró",
    "explicó",
    "aseguró",
    "señaló",
    "añadió",
    "indicó",
    "advirtió",
    "subrayó",
    "agregó",
    "manifestó",
    "sostuvo",
    "respondió",
    "insistió",
    "reconoció",
    "precisó",
    "escribió",
    "dice",
    "afirma",
    "asegura",
    "explica",
    "señala",
    "añade",
    "disse",
    "afirmou",
    "segundo",
    "declarou",
    "explicou",
    "acrescentou",
    "garantiu",
    "escreveu",
    "ha detto",
    "ha affermato",
    "ha dichiarato",
    "ha spiegato",
    "ha aggiunto",
    "ha sottolineato",
    "ha annunciato",
    "ha commentato",
    "ha precisato",
    "ha ribadito",
    "ha assicurato",
    "ha scritto",
    "ha risposto",
    "afferma",
    "spiega",
    "aggiunge",
    "sottolinea",
    "secondo",
]);

/// Speech verbs that ask: after a quotation the asker follows them ("“…?” frågade
/// åklagaren"); in reported speech the one asked answers next ("X frågar Y om …").
pub static QUESTION_VERBS: WordSet = WordSet::new(&["asked", "asks", "frågar", "frågade"]);

/// Verbs that characterise something in the subject's own words ("Holm called the attack “an
/// act of cowardice”"): the quoted words after them are the subject's, though no speech verb
/// says so.
pub static CHARACTERISING_VERBS: WordSet = WordSet::new(&[
    "called",
    "calls",
    "described",
    "describes",
    "branded",
    "brands",
    "labelled",
    "labeled",
    "termed",
    "denounced",
    "condemned",
    "hailed",
    "praised",
    "criticised",
    "criticized",
    "slammed",
    "accused",
    "kallade",
    "kallar",
    "beskrev",
    "beskriver",
    "betecknade",
    "fördömde",
    "fördömer",
    "kritiserade",
    "hyllade",
]);

/// News agencies and outlets: when they attribute a quote, they are the source, not the speaker.
pub static NEWS_AGENCIES: WordSet = WordSet::new(&[
    "afp",
    "ap",
    "reuters",
    "tt",
    "ntb",
    "dpa",
    "ritzau",
    "bloomberg",
    "bbc",
    "cnn",
    "efe",
    "ansa",
    "xinhua",
    "tass",
    "ria",
    "interfax",
    "al jazeera",
    "the associated press",
    "associated press",
    "agence france-presse",
    "svt",
    "dn",
    "svd",
    "aftonbladet",
    "expressen",
]);

/// Speech verbs whose object is the listener ("told reporters", "asked the minister").
pub static LISTENER_VERBS: WordSet = WordSet::new(&[
    "told", "tells", "telling", "asked", "asks", "urged", "urges", "warned", "warns", "assured",
    "reminded", "informed", "frågar", "frågade",
]);

/// Phrases after which the speaker follows ("according to X", "enligt X").
pub static SPEAKER_FOLLOWS: WordSet = WordSet::new(&[
    "according to",
    "enligt",
    "ifølge",
    "selon",
    "laut",
    "según",
    "segundo",
    "secondo",
    "aldus",
    "volgens",
    "d'après",
]);

/// What a body says in writing ("a statement from the ministry", "ett uttalande från
/// polisen"): its author, after one of [`AUTHOR_LINKS`], is the source.
pub static DOCUMENT_NOUNS: WordSet = WordSet::new(&[
    "statement",
    "report",
    "communique",
    "communiqué",
    "release",
    "letter",
    "post",
    "tweet",
    "memo",
    "uttalande",
    "uttalandet",
    "pressmeddelande",
    "rapport",
    "rapporten",
    "communiqué",
    "erklärung",
    "mitteilung",
    "comunicado",
]);

/// Words that link a document to its author ("from", "by", "of", "från", "av").
pub static AUTHOR_LINKS: WordSet = WordSet::new(&[
    "from", "by", "of", "från", "av", "de", "du", "des", "del", "von", "der",
]);

/// Words that start a relative clause: a role named before one is complete ("en källa som
/// vill vara anonym" is "källa").
pub static RELATIVES: WordSet = WordSet::new(&[
    "who", "which", "that", "whose", "som", "vars", "qui", "que", "quien", "che",
]);

/// Words that link a speaker to someone or something else, never part of a role: "säger
/// Hjalmarsson till TV3 Sport", "said Okafor about her deputy Jan Berg", "sa en kvinna som bor
/// i området" (a relative clause).
pub static LINK_WORDS: WordSet = WordSet::new(&[
    "who",
    "which",
    "that",
    "whose",
    "som",
    "vars",
    "to",
    "about",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "and",
    "or",
    "his",
    "her",
    "their",
    "its",
    "till",
    "om",
    "sin",
    "sitt",
    "sina",
    "i",
    "på",
    "för",
    "med",
    "från",
    "av",
    "och",
    "hos",
    "vid",
    "åt",
    "under",
    "hans",
    "hennes",
    "deras",
    "enligt",
    "according",
    "via",
    // French, Spanish, Italian, German, Dutch, Norwegian and Danish
    "qui",
    "que",
    "quien",
    "che",
    "de",
    "du",
    "des",
    "à",
    "au",
    "aux",
    "pour",
    "avec",
    "sur",
    "dans",
    "par",
    "chez",
    "auprès",
    "del",
    "con",
    "para",
    "por",
    "di",
    "della",
    "dei",
    "da",
    "al",
    "alla",
    "von",
    "vom",
    "zu",
    "zum",
    "zur",
    "mit",
    "für",
    "aus",
    "bei",
    "im",
    "auf",
    "über",
    "der",
    "van",
    "voor",
    "met",
    "bij",
    "op",
    "aan",
    "til",
    "af",
    "fra",
    "ved",
]);

/// Personal pronouns that refer back to the last person named.
pub static PRONOUNS: WordSet = WordSet::new(&[
    "he", "she", "han", "hon", "hun", "il", "elle", "er", "sie", "él", "ella", "ele", "ela", "lui",
    "lei", "hij",
]);

/// Which person a pronoun or a name stands for, when the words say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// The gender of a personal pronoun ("she", "han", "il"); none for one that may also mean
/// "they" ("sie").
pub fn pronoun_gender(w: &str) -> Option<Gender> {
    match w.to_lowercase().as_str() {
        "she" | "hon" | "hun" | "elle" | "ella" | "lei" | "ela" => Some(Gender::Female),
        "he" | "han" | "il" | "er" | "él" | "lui" | "ele" | "hij" => Some(Gender::Male),
        _ => None,
    }
}

/// The gender a title or form of address gives ("Mrs", "Lord", "Frau"), if any.
pub fn title_gender(w: &str) -> Option<Gender> {
    match w.to_lowercase().as_str() {
        "mrs" | "ms" | "miss" | "lady" | "dame" | "queen" | "princess" | "frau" | "mme"
        | "señora" | "drottning" | "drottningen" | "prinsessan" | "kronprinsessan" => {
            Some(Gender::Female)
        }
        "mr" | "sir" | "lord" | "king" | "prince" | "herr" | "señor" | "kung" | "kungen"
        | "prins" => Some(Gender::Male),
        _ => None,
    }
}

/// The gender a first name usually has: from the lists, else a final "a" (Amina, Ana, Anna,
/// Maria) for a woman. Unknown names and names used for both say nothing.
pub fn first_name_gender(w: &str) -> Option<Gender> {
    let lower = w.to_lowercase();
    // Given to women in one country and to men in another (Andrea Nahles, Andrea Pirlo).
    if matches!(
        lower.as_str(),
        "andrea" | "nicola" | "sasha" | "dana" | "kim" | "robin" | "alex" | "sam" | "jordan"
    ) {
        return None;
    }
    if MALE_FIRST_NAMES.contains(&lower) {
        return Some(Gender::Male);
    }
    if FEMALE_FIRST_NAMES.contains(&lower) {
        return Some(Gender::Female);
    }
    (lower.chars().count() >= 3 && lower.ends_with('a')).then_some(Gender::Female)
}

/// Men's first names, those ending in "a" (Luca, Mustafa) included.
static MALE_FIRST_NAMES: WordSet = WordSet::new(&[
    "luca",
    "bola",
    "mikhail",
    "andrzej",
    "viktor",
    "ivan",
    "igor",
    "oleg",
    "yuri",
    "pavel",
    "petr",
    "jakub",
    "tomasz",
    "piotr",
    "cyril",
    "abiy",
    "antonio",
    "joshua",
    "nikita",
    "mustafa",
    "musa",
    "isa",
    "ilya",
    "kosta",
    "elia",
    "zakaria",
    "attila",
    "akira",
    "ezra",
    "mika",
    "hamza",
    "yahya",
    "taha",
    "osama",
    "usama",
    "reza",
    "alireza",
    "mirza",
    "juma",
    "narendra",
    "lula",
    "john",
    "james",
    "david",
    "michael",
    "peter",
    "paul",
    "mark",
    "tom",
    "tomas",
    "thomas",
    "jan",
    "lars",
    "erik",
    "eric",
    "anders",
    "stefan",
    "magnus",
    "carl",
    "karl",
    "johan",
    "per",
    "ulf",
    "olof",
    "mikael",
    "fredrik",
    "henrik",
    "gustav",
    "jonas",
    "jimmy",
    "donald",
    "joe",
    "joseph",
    "vladimir",
    "emmanuel",
    "olaf",
    "boris",
    "rishi",
    "keir",
    "antony",
    "anthony",
    "benjamin",
    "ahmed",
    "ahmad",
    "mohammed",
    "muhammad",
    "mohamed",
    "mohammad",
    "ali",
    "hassan",
    "hussein",
    "omar",
    "khalil",
    "ibrahim",
    "yusuf",
    "youssef",
    "abdul",
    "abdullah",
    "pedro",
    "juan",
    "carlos",
    "luis",
    "josé",
    "jose",
    "marco",
    "giorgio",
    "mario",
    "pierre",
    "jean",
    "françois",
    "francois",
    "jacques",
    "gérald",
    "gerald",
    "hans",
    "klaus",
    "wolfgang",
    "friedrich",
    "martin",
    "sergei",
    "sergey",
    "dmitry",
    "alexei",
    "alexander",
    "recep",
    "volodymyr",
    "antonio",
    "antónio",
    "josep",
    "jens",
    "daniel",
    "andrew",
    "robert",
    "william",
    "richard",
    "charles",
    "george",
    "edward",
    "henry",
    "jack",
    "oliver",
    "mike",
    "steve",
    "stephen",
    "brian",
    "kevin",
    "patrick",
    "sean",
    "matthew",
    "simon",
    "nick",
    "justin",
    "jacob",
    "luiz",
    "ehud",
    "yair",
    "naftali",
    "bashar",
    "hafez",
    "salman",
    "tayyip",
    "ismail",
    "khaled",
    "walid",
    "tariq",
    "imran",
    "joachim",
    "alejandro",
    "jorge",
    "ignacio",
    "nicolás",
    "andrés",
    "fernando",
    "gustavo",
    "javier",
    "marcus",
    "jacob",
    "kim-jong",
    "xi",
    "bo",
    "ola",
    "lennart",
    "göran",
    "bengt",
    "sven",
    "nils",
    "björn",
    "bjorn",
    "mats",
    "håkan",
    "jonathan",
    "ben",
    "adam",
    "samuel",
    "isaac",
    "moshe",
    "yosef",
    "avi",
    "amir",
    "karim",
    "samir",
    "nabil",
    "rashid",
    "said",
    "saeed",
    "mahmoud",
    "hamid",
    "jamal",
    "faisal",
    "fahd",
    "sultan",
]);

/// Women's first names that do not end in "a".
static FEMALE_FIRST_NAMES: WordSet = WordSet::new(&[
    "marie",
    "anne",
    "claire",
    "sophie",
    "louise",
    "catherine",
    "caroline",
    "charlotte",
    "elizabeth",
    "elisabeth",
    "sarah",
    "ruth",
    "esther",
    "rachel",
    "leah",
    "miriam",
    "karin",
    "ingrid",
    "kerstin",
    "margot",
    "ann",
    "jennifer",
    "susan",
    "karen",
    "helen",
    "ellen",
    "kate",
    "jane",
    "grace",
    "alice",
    "rose",
    "elin",
    "lisbeth",
    "annie",
    "nancy",
    "hillary",
    "liz",
    "mary",
    "margaret",
    "carol",
    "nicole",
    "michelle",
    "christine",
    "kristin",
    "ulrike",
    "heike",
    "gudrun",
    "sigrid",
    "astrid",
    "mette",
    "beatrice",
    "isabel",
    "carmen",
    "mercedes",
    "pilar",
    "dolores",
    "inés",
    "ines",
    "ayşe",
    "zeynep",
    "mariam",
    "maryam",
    "noor",
    "nour",
    "yasmin",
    "yasmine",
    "jasmine",
    "hanan",
    "marine",
    "ségolène",
    "christiane",
    "ngozi",
    "amal",
    "hind",
    "ruth",
    "judith",
    "emily",
    "olivia",
    "chloe",
    "lucy",
    "ingrid",
    "birgit",
    "agnes",
    "margit",
    "maj",
    "malin",
    "lisa",
    "annika",
    "jessica",
    "magdalene",
    "madeleine",
    "helene",
    "hélène",
    "isabelle",
    "nathalie",
    "valérie",
    "valerie",
    "catrin",
    "kirsten",
    "hannah",
    "deborah",
    "sharon",
    "ivy",
    "iris",
    "rut",
    "ebba",
    "shireen",
    "shirin",
]);

/// Does a speaker named by a role in lower case stand for several people ("protesters",
/// "police", "demonstranterna")? A pronoun such as "she" cannot refer back to it.
pub fn is_plural_role(speaker: &str) -> bool {
    let Some(last) = speaker.rsplit(' ').next() else {
        return false;
    };
    if last.chars().next().is_none_or(char::is_uppercase) {
        return false;
    }
    (last.ends_with('s') && !last.ends_with("ss"))
        || matches!(last, "police" | "people" | "staff" | "crowd")
        || ["erna", "arna", "orna"].iter().any(|e| last.ends_with(e))
}

/// Is `w` (any case) a title or role word: one of [`TITLES`], or a Swedish compound ending in
/// one ("utbildningsminister", "polischefen", "förbundsordföranden", "kammaråklagare",
/// "KD-ledaren")?
pub fn is_title(w: &str) -> bool {
    const SWEDISH_TITLE_ENDINGS: &[&str] = &[
        "minister",
        "ministern",
        "chef",
        "chefen",
        "ordförande",
        "ordföranden",
        "åklagare",
        "åklagaren",
        "sekreterare",
        "talesperson",
        "ledare",
        "ledaren",
        "korrespondent",
        "korrespondenten",
        "ambassadör",
        "ambassadören",
        // German compounds ("Bundeskanzlerin", "Außenministerin", "Regierungssprecher").
        "kanzler",
        "kanzlerin",
        "ministerin",
        "präsident",
        "präsidentin",
        "sprecher",
        "sprecherin",
        "meister",
        "meisterin",
        "vorsitzende",
        "vorsitzender",
        "botschafter",
        "botschafterin",
        "anwalt",
        "anwältin",
        "leiter",
        "leiterin",
        "direktor",
        "direktorin",
        "sekretär",
        "sekretärin",
        // Norwegian and Danish ("politimester", "udenrigsminister" ends in "minister")
        "mester",
    ];
    if TITLES.contains_lower(w) {
        return true;
    }
    // Only letters can end in these (a cheap test before lower-casing).
    if w.len() < 6 || !w.ends_with(|c: char| c.is_alphabetic()) {
        return false;
    }
    let lower = w.to_lowercase();
    SWEDISH_TITLE_ENDINGS.iter().any(|e| lower.ends_with(e)) || is_person_noun(&lower)
}

/// A Swedish noun (lower case) for a person by what they do, in the definite form that
/// stands before a name like a title ("Meteorologen Justin Horne", "Författaren Anne Holt",
/// "säger riksdagsledamoten"). Long enough not to be a first name ("Karen", "Kristen").
/// Endings chosen so that common nouns for things do not match ("området", "sommaren",
/// "resultaten", "bristen", "dialogen").
fn is_person_noun(lower: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "aren",
        "erskan",
        "arinnan",
        "kraten",
        "advokaten",
        "kandidaten",
        "diplomaten",
        "soldaten",
        "moderaten",
        "ledamoten",
        "piloten",
        "journalisten",
        "artisten",
        "aktivisten",
        "terroristen",
        "partisten",
        "specialisten",
        "pianisten",
        "ikern",
        "ören",
        "ologen",
        "nomen",
        "srådet",
        "alrådet",
    ];
    lower.len() >= 8 && ENDINGS.iter().any(|e| lower.ends_with(e)) && !lower.ends_with("mmaren")
}

/// A role word in its base form, lower case: Swedish definite forms become indefinite
/// ("utrikesministern" → "utrikesminister", "talespersonen" → "talesperson"), so a role
/// introduced one way is found when named the other.
pub fn role_key(w: &str) -> String {
    const DEFINITE: &[(&str, &str)] = &[
        ("ministern", "minister"),
        ("chefen", "chef"),
        ("ordföranden", "ordförande"),
        ("åklagaren", "åklagare"),
        ("sekreteraren", "sekreterare"),
        ("talespersonen", "talesperson"),
        ("talesmannen", "talesman"),
        ("ledaren", "ledare"),
        ("korrespondenten", "korrespondent"),
        ("ambassadören", "ambassadör"),
        ("presidenten", "president"),
    ];
    let lower = w.to_lowercase();
    for (definite, base) in DEFINITE {
        if let Some(stem) = lower.strip_suffix(definite) {
            return format!("{stem}{base}");
        }
    }
    lower
}

/// A title only when written in lower case: "le maire Dupont", but "Eric Maire" is a name.
pub fn is_lower_case_title(w: &str) -> bool {
    w == "maire"
}

/// Articles, possessives and counts that open a role named as a source ("the foreign
/// minister", "en källa", "le ministre", "la portavoz"): not part of the role. English and
/// Swedish first, then the other languages whose speakers follow the verb.
pub static DETERMINERS: WordSet = WordSet::new(&[
    "the", "a", "an", "its", "their", "en", "ett", "one", "another", "some", "several", "two",
    "three", "many", "le", "la", "les", "un", "une", "der", "die", "das", "ein", "eine", "el",
    "los", "las", "una", "il", "lo", "gli", "het", "een", "o", "os", "um", "uma",
]);

/// Words that may precede a name as a title or role, dropped from the speaker as written.
pub static TITLES: WordSet = WordSet::new(&[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "defence",
    "defense",
    "finance",
    "interior",
    "health",
    "secretary",
    "general",
    "secretary-general",
    "chancellor",
    "ambassador",
    "envoy",
    "special",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "chief",
    "commander",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "major",
    "admiral",
    "judge",
    "justice",
    "inspector",
    "constable",
    "superintendent",
    "commissioner",
    "councillor",
    "councilor",
    "sheriff",
    "marshal",
    "brigadier",
    "corporal",
    "attorney",
    "prosecutor",
    "cardinal",
    "ayatollah",
    "detective",
    "officer",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "coordinator",
    "co-ordinator",
    "administrator",
    "adviser",
    "advisor",
    "negotiator",
    "mediator",
    "rapporteur",
    "undersecretary",
    "under-secretary",
    "director-general",
    "attorney-general",
    "vice-president",
    "congressman",
    "congresswoman",
    "lawmaker",
    "assistant",
    "speaker",
    "reverend",
    "patriarch",
    "deputy",
    "acting",
    "former",
    "state",
    "home",
    "opposition",
    "leader",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "director",
    "executive",
    "coach",
    "manager",
    "premier",
    "sheikh",
    "emir",
    "archbishop",
    "bishop",
    "rabbi",
    "imam",
    "father",
    "statsminister",
    "minister",
    "utrikesminister",
    "försvarsminister",
    "finansminister",
    "statsrådet",
    "ministern",
    "presidenten",
    "vd",
    "talesperson",
    "kung",
    "kungen",
    "drottning",
    "drottningen",
    "prins",
    "prinsessan",
    "kronprinsessan",
    "biskop",
    "ärkebiskop",
    "landshövding",
    "talman",
    "partiledare",
    "kommunalråd",
    "generaldirektör",
    "riksdagsledamot",
    "polisinspektör",
    "förundersökningsledare",
    "pressekreterare",
    "professorn",
    "chefen",
    // French, German, Spanish, Portuguese, Italian, Dutch, Norwegian and Danish
    "ministre",
    "présidente",
    "porte-parole",
    "secrétaire",
    "ambassadeur",
    "ambassadrice",
    "procureur",
    "procureure",
    "député",
    "députée",
    "sénateur",
    "sénatrice",
    "directeur",
    "directrice",
    "chef",
    "cheffe",
    "préfet",
    "préfète",
    "commissaire",
    "mme",
    "herr",
    "frau",
    "presidente",
    "presidenta",
    "ministro",
    "ministra",
    "alcalde",
    "alcaldesa",
    "portavoz",
    "embajador",
    "embajadora",
    "secretario",
    "secretaria",
    "gobernador",
    "gobernadora",
    "directora",
    "jefe",
    "jefa",
    "señor",
    "señora",
    "sindaco",
    "portavoce",
    "ambasciatore",
    "segretario",
    "procuratore",
    "direttore",
    "burgemeester",
    "woordvoerder",
    "woordvoerster",
    "voorzitter",
    "minister-president",
    "staatssecretaris",
    "ordfører",
    "borgmester",
    "talsperson",
    "talsmann",
    "talsmand",
    "direktør",
    "the",
    "a",
    "an",
]);

/// Words that name an organisation rather than a person (for pronoun resolution).
pub static ORGANISATION_WORDS: WordSet = WordSet::new(&[
    "ministry",
    "council",
    "nations",
    "union",
    "agency",
    "office",
    "department",
    "government",
    "police",
    "army",
    "forces",
    "committee",
    "commission",
    "bank",
    "court",
    "parliament",
    "party",
    "company",
    "group",
    "association",
    "organisation",
    "organization",
    "institute",
    "university",
    "hospital",
    "authority",
    "service",
    "corporation",
    "fund",
    "alliance",
    "coalition",
    "network",
    "front",
    "brigade",
    "movement",
    "red",
    "cross",
    "crescent",
    "programme",
    "program",
    "news",
    "times",
    "post",
    "press",
    "reuters",
    "ap",
    "afp",
    "tt",
    "city",
    "province",
    "region",
    "republic",
    "kingdom",
    "states",
    "street",
    "square",
    "house",
    "palace",
    "hall",
    "airport",
    "port",
    "harbour",
    "harbor",
    "bridge",
    "river",
    "sea",
    "ocean",
    "island",
    "islands",
    "mountains",
    "valley",
    "north",
    "south",
    "east",
    "west",
    "central",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "regeringen",
    "polisen",
    "kommun",
    "myndighet",
    "verket",
    "förening",
    "förbund",
    "partiet",
]);

/// Conjunctions that join two sentences into one without adding information ("Eight people
/// died. The army said …" and "Eight people died, and the army said …").
pub static JOINING_WORDS: &[&str] = &["and", "but", "och", "men"];

/// Labels of live coverage that headlines gain and lose (as lower-cased tokens), longest
/// first: removed from both ends of a headline before it is compared.
pub static LIVE_LABELS: &[&[&str]] = &[
    // Explainer tags: "Storm hits Texas – what we know so far", "… – det här vet vi".
    &["what", "we", "know", "so", "far"],
    &["what", "we", "know"],
    &["det", "här", "vet", "vi"],
    &["latest", "updates"],
    &["live", "updates"],
    &["as", "it", "happened"],
    &["breaking", "news"],
    &["just", "nu"],
    &["senaste", "nytt"],
    &["live"],
    &["latest"],
    &["breaking"],
    // Wire services number their updates: "UPDATE 2-".
    &["update", "#"],
    &["update"],
    &["updated"],
    &["uppdaterad"],
    &["direkt"],
];

/// Words that stand between a speaker and the speech verb: "Vik later wrote", "Okafor has
/// said", "she also told reporters".
pub static BEFORE_VERB: WordSet = WordSet::new(&[
    "also",
    "later",
    "then",
    "earlier",
    "again",
    "previously",
    "once",
    "further",
    "finally",
    "still",
    "has",
    "had",
    "have",
    "would",
    "will",
    "was",
    "had",
    "separately",
    "repeatedly",
    "har",
    "hade",
    "också",
    "även",
    "senare",
    "sedan",
    "tidigare",
]);

/// Nouns that are not names when capitalised ("Officials said") but are sources when a quote
/// is attributed to them ("“…,” an official said").
pub static SOURCE_NOUNS: WordSet = WordSet::new(&[
    "official",
    "officials",
    "police",
    "minister",
    "president",
    "editor",
]);

/// Capitalised words that start sentences or headlines without being names.
pub static NOT_NAMES: WordSet = WordSet::new(&[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "of",
    "and",
    "but",
    "or",
    "if",
    "as",
    "after",
    "before",
    "when",
    "while",
    "with",
    "without",
    "about",
    "over",
    "under",
    "since",
    "until",
    "during",
    "there",
    "here",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "some",
    "many",
    "more",
    "most",
    "all",
    "no",
    "not",
    "yes",
    "also",
    "however",
    "meanwhile",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tomorrow",
    "now",
    "then",
    "so",
    "because",
    "although",
    "though",
    "both",
    "each",
    "every",
    "other",
    "another",
    "such",
    "one",
    "two",
    "three",
    "several",
    "few",
    "officials",
    "official",
    "minister",
    "president",
    "police",
    "correction",
    "update",
    "updated",
    "editor",
    "note",
    "read",
    "watch",
    "see",
    "photo",
    "video",
    "breaking",
    "live",
    "latest",
    "mr",
    "mrs",
    "ms",
    "dr",
    "according",
    "asked",
    "speaking",
    "talking",
    // Swedish
    "det",
    "den",
    "de",
    "en",
    "ett",
    "och",
    "men",
    "att",
    "som",
    "på",
    "i",
    "för",
    "med",
    "till",
    "av",
    "om",
    "när",
    "efter",
    "innan",
    "han",
    "hon",
    "vi",
    "jag",
    "ni",
    "dom",
    "där",
    "här",
    "nu",
    "sedan",
    "enligt",
    "också",
    "under",
    "vid",
    "hur",
    "vad",
    "varför",
    "vilka",
    "vilken",
    "vilket",
    "inte",
    "alla",
    "många",
    "flera",
    "även",
    "samtidigt",
    "dessutom",
    "sen",
    "så",
    "ja",
    "nej",
    "texten",
    "uppdateras",
    "läs",
    "mer",
    "följ",
    "mejla",
    // Days and months are dates, not names.
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "måndag",
    "tisdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lördag",
    "söndag",
]);

/// Words whose appearance or disappearance is never a typo: negations.
pub static NEGATIONS: WordSet = WordSet::new(&[
    "not", "no", "never", "nor", "none", "nothing", "without", "cannot", "neither", "inte", "ej",
    "aldrig", "ingen", "inget", "inga", "icke", "nicht", "kein", "keine", "nie", "ne", "pas",
    "jamais", "nunca", "non", "nein", "ikke", "t",
]);

/// The month a lower-case month word names, as one form for all its spellings: "sept" (in
/// "Sept. 5"), "september" and Swedish "sep" are all "september"; "jan", "january" and
/// "januari" are all "january".
pub fn month_of(w: &str) -> Option<&'static str> {
    const MONTHS: &[(&[&str], &str)] = &[
        (&["jan", "january", "januari"], "january"),
        (&["feb", "february", "februari"], "february"),
        (&["mar", "march", "mars"], "march"),
        (&["apr", "april"], "april"),
        (&["jun", "june", "juni"], "june"),
        (&["jul", "july", "juli"], "july"),
        (&["aug", "august", "augusti"], "august"),
        (&["sep", "sept", "september"], "september"),
        (&["oct", "okt", "october", "oktober"], "october"),
        (&["nov", "november"], "november"),
        (&["dec", "december"], "december"),
    ];
    if w.len() > 9 || w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(forms, _)| forms.contains(&w))
        .map(|(_, m)| *m)
}

/// Words that say the same to the cosmetic filter, by the one word that stands for them:
/// hedges of a figure ("about 40", "around 40", "cirka 40") and the words for being hurt
/// ("injured", "wounded").
pub fn same_sense(w: &str) -> Option<&'static str> {
    match w {
        "about" | "around" | "approximately" | "roughly" | "some" | "circa" | "cirka"
        | "omkring" | "ungefär" | "runt" => Some("about"),
        "injured" | "wounded" | "hurt" => Some("injured"),
        _ => None,
    }
}

/// The abbreviation of a two-word name of a body or country ("united nations" → "un").
pub fn abbreviation_of(first: &str, second: &str) -> Option<&'static str> {
    match (first, second) {
        ("united", "nations") | ("förenta", "nationerna") => Some("un"),
        ("united", "states") => Some("us"),
        ("united", "kingdom") => Some("uk"),
        ("european", "union") => Some("eu"),
        _ => None,
    }
}

/// One-word aliases of those abbreviations ("fn" is the Swedish "un", "usa" is "us").
pub fn abbreviation_alias(w: &str) -> Option<&'static str> {
    match w {
        "fn" => Some("un"),
        "usa" => Some("us"),
        _ => None,
    }
}

/// Verbs that give a figure's level, which its revision may reword ("the toll stood at 12"
/// → "the toll rose to 15"): the new figure carries the news. A rise and a fall are not
/// interchangeable (see [`FIGURE_RISES`], [`FIGURE_FALLS`]).
pub static FIGURE_LEVELS: WordSet = WordSet::new(&[
    "stood", "stands", "is", "was", "are", "were", "now", "reached", "reaches", "totalled",
    "totaled", "totals", "hit", "är", "var", "nu", "uppgick", "uppgår", "ligger", "låg", "nådde",
    "nått",
]);

/// Verbs of a figure going up ("rose to 15", "steg till 15").
pub static FIGURE_RISES: WordSet = WordSet::new(&[
    "rose",
    "risen",
    "rises",
    "climbed",
    "climbs",
    "increased",
    "increases",
    "jumped",
    "grew",
    "grown",
    "soared",
    "surged",
    "mounted",
    "steg",
    "stigit",
    "ökade",
    "ökat",
    "ökar",
]);

/// Verbs of a figure going down ("fell to 9", "sjönk till 9").
pub static FIGURE_FALLS: WordSet = WordSet::new(&[
    "fell",
    "fallen",
    "falls",
    "dropped",
    "drops",
    "declined",
    "declines",
    "decreased",
    "sank",
    "slipped",
    "plunged",
    "sjönk",
    "sjunkit",
    "minskade",
    "minskat",
    "minskar",
    "föll",
    "fallit",
]);

/// Words that qualify the figure they stand before ("more than 2,000", "at least 40",
/// "drygt 40"); every hedge counts as "about" (see [`same_sense`]).
pub static FIGURE_QUALIFIERS: WordSet = WordSet::new(&[
    "about", "nearly", "almost", "over", "more", "than", "less", "fewer", "at", "least", "most",
    "up", "to", "under", "below", "above", "only", "just", "minst", "över", "drygt", "nästan",
    "upp", "till", "färre", "än", "mer", "fler", "knappt", "närmare", "uppemot",
]);

/// Words that may be added or dropped without changing a sentence's information ("talks
/// resume on Monday" and "talks resume Monday").
pub static IGNORABLE: WordSet = WordSet::new(&[
    "a",
    "an",
    "the",
    "that",
    "also",
    "then",
    "just",
    "on", // English
    "has",
    "have",
    "had", // "has announced" and "announced" report the same fact
    "som",
    "att",
    "den",
    "det",
    "de",
    "dem",
    "dom",
    "en",
    "ett",
    "också",
    "då", // Swedish
    "har",
    "hade", // "två personer har skadats" and "två personer skadats"
    // Words that join a sentence to the one before it and say nothing of their own
    // ("Samtidigt fortsätter regnet" and "Regnet fortsätter").
    "meanwhile",
    "however",
    "moreover",
    "furthermore",
    "samtidigt",
    "även",
    "dessutom",
    "dock",
    // "It is now a legal requirement" and "It is a legal requirement".
    "now",
    "nu",
]);

/// Prepositions: one added where it was missing, or dropped where it was doubled, is a typo
/// fix ("cases England" → "cases in England"). One put in place of another is not.
pub static PREPOSITIONS: WordSet = WordSet::new(&[
    "in", "of", "at", "to", "for", "from", "by", "with", "i", "på", "av", "till", "för", "från",
    "med", "vid",
]);

/// Does the paragraph open with the dash that introduces quoted speech?
pub fn opens_with_speech_dash(p: &str) -> bool {
    let mut chars = p.chars();
    matches!(chars.next(), Some('–' | '—' | '-' | '―'))
        && matches!(chars.next(), Some(' ' | '\u{a0}'))
}

/// Does this sentence carry a dash-quote attribution (", säger hon", ", said Okafor")?
pub fn has_dash_attribution(sentence: &str) -> bool {
    dash_attribution_at(sentence).is_some()
}

/// Byte offset of the comma (or dash) that ends a dash quote before its attribution
/// ("– Vi är glada, säger hon." → the comma after "glada").
pub fn dash_attribution_at(sentence: &str) -> Option<usize> {
    fn trim(w: &str) -> &str {
        w.trim_end_matches(|c: char| !c.is_alphanumeric())
    }
    let mut words = sentence.split(' ').peekable();
    let mut at = 0;
    while let Some(raw) = words.next() {
        let start = at;
        at += raw.len() + 1;
        // The punctuation first: it is rare, the verb look-up is not.
        let before = sentence[..start].trim_end();
        if start == 0 || !before.ends_with([',', '–', '-', '?', '!']) {
            continue;
        }
        let w = trim(raw);
        let is_verb = SPEECH_VERBS.contains_lower(w)
            || words.peek().is_some_and(|next| {
                SPEECH_VERBS.contains(&format!("{w} {}", trim(next)).to_lowercase())
            })
            // "…, har försvarsadvokaten Betina Hald Engmark sagt."
            || (matches!(w, "har" | "hade")
                && words.clone().take(5).any(|n| SPEECH_VERBS.contains_lower(trim(n))));
        if is_verb {
            // A question or exclamation mark belongs to the quotation ("…? frågade hon").
            let mark = before.ends_with(['?', '!']);
            let cut = if mark {
                before.len()
            } else {
                before.len() - before.chars().next_back().map_or(1, char::len_utf8)
            };
            return (cut > 2).then_some(cut);
        }
    }
    None
}

#[cfg(test)]
mod person_noun_tests {
    use super::is_title;

    #[test]
    fn swedish_nouns_for_people_are_titles_and_nouns_for_things_are_not() {
        for w in [
            "Meteorologen",
            "riksdagsledamoten",
            "Operasångerskan",
            "Författaren",
            "statsrådet",
            "Demokraten",
            "journalisten",
        ] {
            assert!(is_title(w), "{w}");
        }
        for w in [
            "området",
            "sommaren",
            "kammaren",
            "resultaten",
            "senaten",
            "bristen",
            "dialogen",
            "handväskan",
            "Kristen",
            "Christian",
        ] {
            assert!(!is_title(w), "{w}");
        }
    }
}
