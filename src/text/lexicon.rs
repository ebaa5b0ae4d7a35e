//! Word lists the text model relies on, in one place per concern. Adding a language's speech
//! verbs or pronouns is a change here only.

/// Words that end in a dot without ending the sentence (lower case, without the final dot).
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov",
    "sen", "rep", "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "nos", "vol", "inc", "ltd", "co", "corp", "jr", "sr",
    "vs", "approx", "ca", "est", "dept", "univ", "rev", "hon", "pres", "gov't", "fig", "pp",
    "bl.a", "t.ex", "dvs", "m.m", "s.k", "kl", "nr", "resp", "jfr", "ev", "fr.o.m", "t.o.m",
    "mme", "mlle", "m", "z.b", "bzw", "usw", "sr", "sra",
];

/// Verbs and phrases that attribute speech, per language. Multi-word entries match as phrases.
pub const SPEECH_VERBS: &[&str] = &[
    // English
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "warned",
    "warns", "insisted", "insists", "declared", "declares", "explained", "explains", "noted",
    "notes", "announced", "announces", "wrote", "writes", "tweeted", "asked", "asks",
    "replied", "replies", "claimed", "claims", "argued", "argues", "urged", "urges",
    "stressed", "stresses", "continued", "acknowledged", "admitted", "confirmed", "confirms",
    "according to", "quoted", "recalled", "remarked", "pledged", "vowed", "promised",
    "conceded", "cautioned", "suggested", "observed", "commented", "responded", "answered",
    "concluded", "demanded", "predicted", "reiterated", "emphasised", "emphasized", "shouted",
    "posted", "testified", "assured", "insisting", "saying", "telling", "adding", "warning",
    // Swedish
    "säger", "sa", "sade", "skriver", "berättar", "förklarar", "enligt", "uppger", "menar",
    "tillägger", "konstaterar", "understryker", "fortsätter", "svarar", "påpekar", "betonar",
    "hävdar", "skrev", "berättade", "förklarade", "uppgav", "sade", "varnar", "varnade",
    "frågar", "tycker", "anser", "framhåller", "meddelar", "meddelade", "twittrar",
    // Norwegian / Danish
    "sier", "siger", "sagde", "skriver", "ifølge",
    // French
    "a déclaré", "a dit", "a affirmé", "selon", "affirme", "déclare", "a ajouté",
    "estime", "a estimé", "a expliqué", "explique", "a souligné", "souligne",
    // German
    "sagte", "sagt", "erklärte", "erklärt", "laut", "betonte", "betont", "fügte",
    "meinte", "teilte",
    // Spanish / Portuguese / Italian
    "dijo", "afirmó", "según", "declaró", "explicó", "aseguró", "disse", "afirmou",
    "segundo", "ha detto", "ha affermato", "secondo",
];

/// Phrases after which the speaker follows ("according to X", "enligt X").
pub const SPEAKER_FOLLOWS: &[&str] = &[
    "according to", "enligt", "ifølge", "selon", "laut", "según", "segundo", "secondo",
];

/// Personal pronouns that refer back to the last person named.
pub const PRONOUNS: &[&str] = &[
    "he", "she", "han", "hon", "hun", "il", "elle", "er", "sie", "él", "ella", "ele", "lui",
    "lei",
];

/// Words that may precede a name as a title or role, dropped from the speaker as written.
pub const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "foreign", "defence", "defense", "finance",
    "interior", "health", "secretary", "general", "secretary-general", "chancellor",
    "ambassador", "envoy", "special", "senator", "sen", "rep", "representative", "governor",
    "gov", "mayor", "king", "queen", "prince", "princess", "pope", "chief", "commander",
    "colonel", "col", "captain", "capt", "lieutenant", "lt", "sergeant", "sgt", "major",
    "admiral", "judge", "justice", "inspector", "detective", "officer", "spokesman",
    "spokeswoman", "spokesperson", "deputy", "acting", "former", "state", "home", "opposition",
    "leader", "chairman", "chairwoman", "chair", "ceo", "director", "executive", "coach",
    "manager", "premier", "sheikh", "emir", "archbishop", "bishop", "rabbi", "imam", "father",
    "statsminister", "minister", "utrikesminister", "försvarsminister", "finansminister",
    "statsrådet", "ministern", "presidenten", "vd", "talesperson", "pressekreterare",
    "professorn", "chefen", "the", "a", "an",
];

/// Words that name an organisation rather than a person (for pronoun resolution).
pub const ORGANISATION_WORDS: &[&str] = &[
    "ministry", "council", "nations", "union", "agency", "office", "department", "government",
    "police", "army", "forces", "committee", "commission", "bank", "court", "parliament",
    "party", "company", "group", "association", "organisation", "organization", "institute",
    "university", "hospital", "authority", "service", "corporation", "fund", "alliance",
    "coalition", "network", "front", "brigade", "movement", "red", "cross", "crescent",
    "programme", "program", "news", "times", "post", "press", "reuters", "ap", "afp", "tt",
    "city", "province", "region", "republic", "kingdom", "states", "street", "square",
    "house", "palace", "hall", "airport", "port", "harbour", "harbor", "bridge", "river",
    "sea", "ocean", "island", "islands", "mountains", "valley", "north", "south", "east",
    "west", "central", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "regeringen", "polisen", "kommun",
    "myndighet", "verket", "förening", "förbund", "partiet",
];

/// Capitalised words that start sentences or headlines without being names.
pub const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they",
    "we", "i", "you", "his", "her", "their", "our", "my", "your", "in", "on", "at", "by",
    "for", "from", "to", "of", "and", "but", "or", "if", "as", "after", "before", "when",
    "while", "with", "without", "about", "over", "under", "since", "until", "during", "there",
    "here", "what", "who", "why", "how", "where", "which", "some", "many", "more", "most",
    "all", "no", "not", "yes", "also", "however", "meanwhile", "earlier", "later", "today",
    "yesterday", "tomorrow", "now", "then", "so", "because", "although", "though", "both",
    "each", "every", "other", "another", "such", "one", "two", "three", "several", "few",
    "officials", "official", "minister", "president", "police", "correction", "update",
    "updated", "editor", "note", "read", "watch", "see", "photo", "video", "breaking",
    "live", "latest", "mr", "mrs", "ms", "dr", "according", "asked", "speaking", "talking",
    // Swedish
    "det", "den", "de", "en", "ett", "och", "men", "att", "som", "på", "i", "för", "med",
    "till", "av", "om", "när", "efter", "innan", "han", "hon", "vi", "jag", "ni", "dom",
    "där", "här", "nu", "sedan", "enligt", "också", "under", "vid", "hur", "vad", "varför",
    "inte", "alla", "många", "flera", "även", "samtidigt", "dessutom", "sen", "så", "ja", "nej",
    "texten", "uppdateras", "läs", "mer", "följ", "mejla",
    // Days and months are dates, not names.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
];

/// Words whose appearance or disappearance is never a typo: negations.
pub const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "none", "nothing", "without", "cannot", "neither", "inte",
    "ej", "aldrig", "ingen", "inget", "inga", "icke", "nicht", "kein", "keine", "nie", "ne",
    "pas", "jamais", "nunca", "non", "nein", "ikke", "t",
];

/// Words that may be added or dropped without changing a sentence's information.
pub const IGNORABLE: &[&str] = &["a", "an", "the", "that", "also", "then", "just"];

/// Does the paragraph open with the dash that introduces quoted speech?
pub fn opens_with_speech_dash(p: &str) -> bool {
    let mut chars = p.chars();
    matches!(chars.next(), Some('–' | '—' | '-' | '―')) && matches!(chars.next(), Some(' ' | '\u{a0}'))
}

/// Does this sentence carry a dash-quote attribution (", säger hon", ", said Okafor")?
pub fn has_dash_attribution(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    SPEECH_VERBS.iter().any(|v| {
        lower.match_indices(v).any(|(i, _)| {
            let before = lower[..i].trim_end();
            let after = &lower[i + v.len()..];
            let bounded = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            bounded && (before.ends_with(',') || before.ends_with('–') || before.ends_with('-'))
        })
    })
}
