//! The default rule set (config/rules.toml) on sentences of the kinds editors care about, and on
//! look-alikes that must not match.

use redline::detect::rules::Rules;
use redline::model::{Kind, Severity};
use std::sync::LazyLock;

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    Rules::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/rules.toml"
    )))
    .unwrap()
});

fn cats(text: &str) -> Vec<String> {
    RULES.classify(Kind::FactAdded, text).categories
}

/// Each text is given its category.
fn all_are(cases: &[(&str, &str)]) {
    for (text, cat) in cases {
        assert!(
            cats(text).iter().any(|c| c == cat),
            "{text:?} should be {cat}, got {:?}",
            cats(text)
        );
    }
}

/// No text is given the category beside it.
fn none_are(cases: &[(&str, &str)]) {
    for (text, cat) in cases {
        assert!(
            !cats(text).iter().any(|c| c == cat),
            "{text:?} should not be {cat}, got {:?}",
            cats(text)
        );
    }
}

#[test]
fn each_default_category_matches_its_kind_of_news() {
    let cases = [
        (
            "The two delegations will meet again in Geneva on Friday.",
            "meeting",
        ),
        (
            "Aid deliveries to the town will resume on Thursday.",
            "aid.resumed",
        ),
        (
            "The UN suspended food deliveries after the convoy was shelled.",
            "aid.halted",
        ),
        ("Both sides agreed to a 72-hour ceasefire.", "ceasefire"),
        ("Overnight air strikes hit the port.", "military.strike"),
        (
            "At least 11 people were killed and 20 wounded.",
            "casualties",
        ),
        (
            "Thousands of residents were evacuated from the coast.",
            "evacuation",
        ),
        ("En person har avlidit efter branden.", "casualties"),
        ("En man i 30-årsåldern har gripits.", "legal"),
        ("Polisen har gripit två män för mordet.", "legal"),
        ("Police took the driver into custody.", "legal"),
        ("Två personer har dött i branden.", "casualties"),
        ("Hjälpsändningarna har återupptagits.", "aid.resumed"),
        (
            "Russia launched 40 drones at Kyiv overnight.",
            "military.strike",
        ),
        ("The EU froze the assets of 12 oligarchs.", "sanctions"),
        ("The two leaders met in Geneva on Friday.", "meeting"),
        ("A magnitude 6.1 earthquake struck the region.", "disaster"),
        ("The EU imposed new sanctions on the company.", "sanctions"),
        ("The defence minister resigned on Monday.", "personnel"),
        ("He was sentenced to 12 years in prison.", "legal"),
        ("Voters go to the polls in March.", "election"),
        ("Shares fell 4% in early trading.", "markets"),
        (
            "The firm agreed a merger with its largest rival.",
            "business",
        ),
        ("Demonstrators marched through the capital.", "protest"),
        (
            "Both sides agreed to release 12 detainees.",
            "prisoner.release",
        ),
        (
            "The striker scored twice as the home side won 3-1.",
            "sports",
        ),
        (
            "Correction: an earlier version of this story misstated the date.",
            "correction",
        ),
        (
            "Minst 15 personer har omkommit i översvämningarna.",
            "casualties",
        ),
    ];
    all_are(&cases);
}

/// A headline counts its dead in the present tense: "kill" with a count is a toll.
#[test]
fn a_headline_that_kills_a_count_is_casualties() {
    each_is(
        "casualties",
        &[
            "Floods kill 42 in northern province",
            "Strike kills at least 12 at market",
            "Skred dödar tolv i Norge",
        ],
    );
}

/// Every text is given `category`.
fn each_is(category: &str, texts: &[&str]) {
    for text in texts {
        assert!(
            cats(text).iter().any(|c| c == category),
            "{text:?} should be {category}: {:?}",
            cats(text)
        );
    }
}

/// A person meeting a person named with a capital, or people meeting somewhere, is a meeting,
/// in the headline's present tense too.
#[test]
fn a_person_who_meets_a_named_person_is_a_meeting() {
    each_is(
        "meeting",
        &[
            "Trump meets Putin in Helsinki",
            "Xi and Biden meet in Bali",
            "Biden met Xi for three hours on Monday.",
            "Partistyrelsen möttes senast förra veckan.",
            "The prime minister will visit Riverton on Monday and meet emergency crews.",
            "She met families of the victims on Tuesday.",
            "Envoys from six countries gathered on Tuesday.",
        ],
    );
}

/// A company bought is business and an army's attack on targets is a strike, in English and
/// Swedish.
#[test]
fn a_company_bought_is_business_and_an_attack_on_targets_a_strike() {
    each_is(
        "business",
        &[
            "Bolaget köps av Volvo.",
            "Volvo buys Geely.",
            "The firm agreed to buy its rival.",
        ],
    );
    each_is(
        "military.strike",
        &[
            "Israel anföll mål i Gaza.",
            "Ryska styrkor angrep flygfältet.",
        ],
    );
}

/// A person named to a post is personnel, people on the streets a protest, people ordered
/// from their homes an evacuation.
#[test]
fn a_named_post_the_streets_and_homes_left_are_their_categories() {
    each_is("personnel", &["She was named the new CEO."]);
    each_is(
        "protest",
        &[
            "Thousands took to the streets.",
            "Tusentals gick ut på gatorna.",
        ],
    );
    each_is(
        "evacuation",
        &[
            "Residents were ordered to leave their homes.",
            "Hundratals tvingades lämna sina hem.",
            "Officials urged residents to leave the island.",
            "I Miami Beach uppmanade borgmästaren alla att lämna området.",
        ],
    );
}

/// Aid stopped or resumed, said either way round and of emergency relief in Swedish too.
#[test]
fn aid_stopped_or_resumed_either_way_round() {
    each_is(
        "aid.halted",
        &[
            "The UN paused food distribution in the north.",
            "Biståndet stoppades efter attacken.",
            "Leveranserna av nödhjälp har avbrutits.",
        ],
    );
    each_is("aid.resumed", &["Nödhjälpen har återupptagits."]);
}

/// A pause in the fighting, however it is said, is a ceasefire.
#[test]
fn fighting_stopped_or_paused_is_a_ceasefire() {
    each_is(
        "ceasefire",
        &[
            "Israel and Hamas agreed to a four-day pause in fighting.",
            "A humanitarian pause began at 7am.",
            "Both sides agreed to stop fighting.",
            "Hostilities ceased at midnight.",
            "Stridigheterna har upphört.",
        ],
    );
}

/// Quakes, storms and other disasters named in Swedish as well as English.
#[test]
fn disasters_are_named_in_both_languages() {
    each_is(
        "disaster",
        &[
            "Skalvet hade en magnitud på 8,2.",
            "Flera efterskalv ska även ha inträffat.",
            "Stormen nådde land runt tiotiden.",
            "Tyfonen drog in över Filippinerna.",
            "A tornado tore through the town.",
            "Several states are experiencing severe heatwaves.",
        ],
    );
}

/// People hurt or injured are a toll too, in English and Swedish.
#[test]
fn people_hurt_or_injured_are_casualties() {
    each_is(
        "casualties",
        &[
            "Two people were hurt in the blast.",
            "12 hurt in motorway crash",
            "Två personer skadades i olyckan.",
            "Tre soldater sårades i attacken.",
            "Offret fördes till sjukhus med allvarliga skador.",
            "Two men were taken to hospital.",
            "He suffered serious injuries.",
            "Offren var mellan 20 och 30 år.",
        ],
    );
}

#[test]
fn look_alikes_do_not_match() {
    let cases = [
        (
            "The plan met with criticism from the opposition.",
            "meeting",
        ),
        ("Aid will not resume until the road is safe.", "aid.resumed"),
        ("The final decision rests with the council.", "sports"),
        ("The goal of the talks is a lasting peace.", "sports"),
        ("She succeeded in reaching the border.", "personnel"),
        ("The market rally continued.", "protest"),
        ("The results demonstrated that the scheme works.", "protest"),
        ("The governing bodies will decide.", "casualties"),
        ("Rebels threatened to kill the hostages.", "casualties"),
        ("The tariffs hurt the economy.", "casualties"),
        ("Stormen orsakade skador på flera hus.", "casualties"),
        ("Mannen angrep en kvinna med kniv.", "military.strike"),
        ("Hon köpte en bil.", "business"),
        ("He was named after his grandfather.", "personnel"),
        ("Huset träffades av en raket i natt.", "meeting"),
        ("The company met Wall Street expectations.", "meeting"),
        ("The Met Office issued a warning for Monday.", "meeting"),
        ("He met the deadline.", "meeting"),
        ("Det stormar återigen runt partiledaren.", "disaster"),
        ("Epidemiologists will study the data.", "disaster"),
        ("The EU urged Britain to leave the talks.", "evacuation"),
        ("Han hjälpte polisen att stoppa mannen.", "aid.halted"),
        ("The plan is dead in the water.", "casualties"),
        ("He will visit his mother.", "meeting"),
        ("“We will not give up,” the envoy said.", "meeting"),
        ("The Egyptian delegation left Cairo on Monday.", "meeting"),
        ("Avoid long journeys to visit NNRs.", "meeting"),
        ("Meeting the deadline will be hard.", "meeting"),
        ("The talks reached a dead end.", "casualties"),
        ("Beslutet möttes av protester.", "meeting"),
        ("Bilen har träffats av en sten.", "meeting"),
        (
            "Ministers vowed to kill the bill in the upper house.",
            "casualties",
        ),
    ];
    none_are(&cases);
}

#[test]
fn severity_follows_the_documented_defaults() {
    let rules = Rules::builtin();
    assert_eq!(
        rules
            .classify(Kind::FactAdded, "At least 8 people were killed.")
            .severity,
        Severity::High
    );
    assert_eq!(
        rules
            .classify(Kind::FactAdded, "The talks continue tomorrow.")
            .severity,
        Severity::Normal
    );
    assert_eq!(
        rules
            .classify(Kind::QuoteRemoved, "“We are ready,” she said.")
            .severity,
        Severity::High
    );
    assert_eq!(
        rules
            .classify(Kind::QuoteAdded, "“We are ready,” she said.")
            .severity,
        Severity::Normal
    );
    assert_eq!(
        rules
            .classify(Kind::QuoteAdded, "“We are ready,” she said.")
            .categories,
        vec!["statement"]
    );
}

/// Rules match on text folded to ASCII for speed; the folding must keep letters distinct and
/// words whole, so the matches are those of the rules as written.
#[test]
fn swedish_letters_stay_distinct_and_invisible_hyphens_do_not_split_words() {
    // "uppköp*" (buyout) must not match "uppkopplad" (connected).
    assert!(!cats("Babyn var uppkopplad till en maskin.").contains(&"business".to_string()));
    assert!(cats("Uppköpet av bolaget är klart.").contains(&"business".to_string()));
    // A soft hyphen (U+00AD) is invisible: "val\u{ad}rörelsen" is "valrörelsen".
    assert!(cats("Striden sparas till val\u{ad}rörelsen.").contains(&"election".to_string()));
    // Upper-case non-ASCII letters match their lower-case pattern.
    assert!(cats("UPPKÖPET AV BOLAGET ÄR KLART.").contains(&"business".to_string()));
}

/// The main categories in the other languages whose quotes are read (French, German, Spanish,
/// Italian, Dutch, Norwegian, Danish), and their look-alikes in English.
#[test]
fn categories_are_found_in_the_other_languages_of_the_quote_rules() {
    let cases = [
        ("Une réunion est prévue lundi à Genève.", "meeting"),
        (
            "Das Treffen der Außenminister beginnt am Montag.",
            "meeting",
        ),
        ("La ayuda humanitaria se reanudó el martes.", "aid.resumed"),
        ("Les livraisons d'aide ont été suspendues.", "aid.halted"),
        ("Die Hilfslieferungen wurden gestoppt.", "aid.halted"),
        ("Un cessez-le-feu est entré en vigueur.", "ceasefire"),
        ("Die Waffenruhe hält seit Montag.", "ceasefire"),
        ("Des frappes aériennes ont visé le port.", "military.strike"),
        ("Au moins 12 personnes ont été tuées.", "casualties"),
        ("Mindestens 12 Menschen wurden getötet.", "casualties"),
        ("Al menos 15 muertos en el ataque.", "casualties"),
        ("Un séisme de magnitude 6 a frappé la région.", "disaster"),
        ("Le ministre a démissionné.", "personnel"),
        ("Trois otages ont été libérés.", "prisoner.release"),
        (
            "Rectificatif : une version précédente de cet article indiquait un mauvais chiffre.",
            "correction",
        ),
    ];
    all_are(&cases);
    // "Réunion" is an island, "Tues" a day, "blesses" a verb and an aide a person.
    none_are(&[
        ("Foreign travel advice: Réunion", "meeting"),
        ("He blesses the crowd on Tues.", "casualties"),
        ("An aide said the talks had stopped.", "aid.halted"),
    ]);
}

/// Sessions held, ministers fired, captives freed, the missing and fighting on the ground; and
/// what only looks like them.
#[test]
fn sessions_firings_freed_captives_the_missing_and_fighting_are_their_categories() {
    all_are(&[
        (
            "The UN Security Council will hold an emergency session on Monday.",
            "meeting",
        ),
        ("The president fired his defence minister.", "personnel"),
        (
            "Two journalists were freed after 100 days in captivity.",
            "prisoner.release",
        ),
        ("Seven people remain missing.", "casualties"),
        ("Tre personer saknas fortfarande.", "casualties"),
        (
            "Fighting broke out again near the airport.",
            "military.strike",
        ),
    ]);
    none_are(&[
        (
            "He was released from hospital on Monday.",
            "prisoner.release",
        ),
        ("Both sides agreed to stop the fighting.", "military.strike"),
        ("The company fired back at its critics.", "personnel"),
        ("Talks resume in Geneva as aid convoys wait.", "aid.resumed"),
    ]);
}
