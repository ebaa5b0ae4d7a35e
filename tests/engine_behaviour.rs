//! The engine's contract (DESIGN §3–§4), one behaviour per test, through the public API.

use redline::engine::Engine;
use redline::model::{
    ChangeEvent, Kind, Origin, RevisionStatus, Severity, StoryState, StoryVersion,
};

const NOW: &str = "2025-03-11T18:06:00Z";

fn version(n: u64, headline: &str, body: &str) -> StoryVersion {
    StoryVersion {
        story_id: "s".into(),
        version: Some(n),
        headline: Some(headline.into()),
        body: Some(body.into()),
        ..StoryVersion::default()
    }
}

fn first(engine: &Engine, v: &StoryVersion) -> StoryState {
    engine.process(None, v, &Origin::default(), NOW).state
}

/// Events of `new` against `old`.
fn diff(old_body: &str, new_body: &str) -> Vec<ChangeEvent> {
    diff_h("Headline", old_body, "Headline", new_body)
}

fn diff_h(old_h: &str, old_body: &str, new_h: &str, new_body: &str) -> Vec<ChangeEvent> {
    let engine = Engine::with_defaults();
    let state = first(&engine, &version(1, old_h, old_body));
    engine
        .process(
            Some(&state),
            &version(2, new_h, new_body),
            &Origin::default(),
            NOW,
        )
        .events
}

fn kinds(events: &[ChangeEvent]) -> Vec<Kind> {
    events.iter().map(|e| e.kind).collect()
}

const BODY: &str = "Delegations arrived in Harbour City on Tuesday for talks on aid convoys.\n\n\
Aid deliveries were halted two weeks ago after a convoy came under fire near the bridge.\n\n\
At least 8 people were killed in the attack, according to the regional health office.\n\n\
Foreign Minister Amina Okafor, who chairs the talks, said she expected a difficult first day.";

#[test]
fn first_version_is_exactly_one_story_created_with_the_headline() {
    let engine = Engine::with_defaults();
    let out = engine.process(
        None,
        &version(1, "Envoys gather", BODY),
        &Origin::default(),
        NOW,
    );
    assert_eq!(kinds(&out.events), vec![Kind::StoryCreated]);
    let e = &out.events[0];
    assert_eq!(e.text, "Envoys gather");
    assert_eq!(e.from_version, None);
    assert_eq!(e.event_id, "s/1/1");
    assert_eq!(out.revision.status, RevisionStatus::Created);
}

#[test]
fn an_identical_version_emits_nothing() {
    assert!(diff(BODY, BODY).is_empty());
}

#[test]
fn cosmetic_edits_emit_nothing() {
    let edits = [
        // punctuation and whitespace
        BODY.replace("Tuesday for", "Tuesday, for")
            .replace("  ", " "),
        BODY.replace(' ', "  ").replace("day.", "day"),
        // non-breaking spaces
        BODY.replace("8 people", "8\u{a0}people")
            .replace("Amina Okafor", "Amina\u{a0}Okafor"),
        // typo fix
        BODY.replace("difficult", "dificult"),
        BODY.replace("deliveries", "delivereis"),
        // reordered clause, same facts
        BODY.replace(
            "At least 8 people were killed in the attack, according to the regional health office.",
            "According to the regional health office, at least 8 people were killed in the attack.",
        ),
        // a sentence split in two with the same words
        BODY.replace("convoys.\n\n", "convoys. ")
            .replace("bridge.", "bridge"),
        // "on" before a day dropped
        BODY.replace("on Tuesday", "Tuesday"),
    ];
    for edited in edits {
        let events = diff(BODY, &edited);
        assert!(events.is_empty(), "cosmetic edit produced {events:#?}");
    }
}

/// "Meanwhile", "however", "samtidigt", "även", "dock", "dessutom" join a sentence to the one
/// before it; adding or dropping one says nothing new.
#[test]
fn a_connective_added_or_dropped_is_cosmetic() {
    for (old, new) in [
        (
            "Samtidigt fortsätter regnet att vräka ner över Texas.",
            "Regnet fortsätter att vräka ner över Texas.",
        ),
        (
            "Även Gävleborgs län står bakom partiledaren.",
            "Gävleborgs län står bakom partiledaren.",
        ),
        (
            "Det ändrades senare till mord.",
            "Det ändrades dock senare till mord.",
        ),
        (
            "Meanwhile, the rain kept falling on Houston.",
            "The rain kept falling on Houston.",
        ),
        (
            "The ministry, however, denied the report.",
            "The ministry denied the report.",
        ),
    ] {
        assert!(diff(old, new).is_empty(), "{old:?} → {new:?}");
    }
    // Another word beside it is still information.
    assert_eq!(
        kinds(&diff(
            "Även Gävleborgs län står bakom partiledaren.",
            "Gävleborgs län står inte bakom partiledaren."
        )),
        vec![Kind::FactChanged]
    );
}

/// A preposition put where it was missing, or a doubled one dropped, fixes a typo; one
/// preposition in place of another says something else.
#[test]
fn a_missing_or_doubled_preposition_fixed_is_cosmetic() {
    for (old, new) in [
        (
            "The outbreak assessment following recent cases England can be found here.",
            "The outbreak assessment following recent cases in England can be found here.",
        ),
        (
            "Situationen i i staden beskrivs som kaotisk.",
            "Situationen i staden beskrivs som kaotisk.",
        ),
        (
            "It is a legal requirement for all bird keepers.",
            "It is now a legal requirement for all bird keepers.",
        ),
    ] {
        assert!(diff(old, new).is_empty(), "{old:?} → {new:?}");
    }
    assert_eq!(
        kinds(&diff(
            "Flights to Goma are suspended.",
            "Flights from Goma are suspended."
        )),
        vec![Kind::FactChanged]
    );
    assert_eq!(
        kinds(&diff(
            "Talks with Russia resumed on Monday.",
            "Talks resumed on Monday."
        )),
        vec![Kind::FactChanged]
    );
    // A preposition with a new word after it is new information, in a quote too.
    assert_eq!(
        kinds(&diff(
            "– Vi dyker, säger Jens Möller.",
            "– Vi dyker i området, säger Jens Möller."
        )),
        vec![Kind::QuoteChanged]
    );
}

#[test]
fn a_tense_auxiliary_or_a_word_of_the_same_sense_is_cosmetic() {
    for (old, new) in [
        (
            "The government has announced new sanctions.",
            "The government announced new sanctions.",
        ),
        ("Tre personer har evakuerats.", "Tre personer evakuerades."),
        (
            "The fire broke out at around 3pm.",
            "The fire broke out at about 3pm.",
        ),
        ("Cirka 40 personer greps.", "Omkring 40 personer greps."),
        ("Five people were injured.", "Five people were wounded."),
    ] {
        assert!(diff(old, new).is_empty(), "{old:?} → {new:?}");
    }
    // A hedge that moves the figure is information.
    assert_eq!(
        kinds(&diff("About 40 people died.", "Nearly 40 people died.")),
        vec![Kind::FactChanged]
    );
}

#[test]
fn the_same_quote_from_the_same_speaker_with_its_attribution_reworded_is_not_a_quote_change() {
    let old = "– Läget är under kontroll, säger Anna Berg, presstalesperson på polisen.";
    let new = "– Läget är under kontroll, säger Anna Berg, presstalesperson vid polisen.";
    let events = diff(old, new);
    assert_eq!(kinds(&events), vec![Kind::FactChanged]);
    assert_eq!(events[0].severity, Severity::Normal);
    // Other words quoted are a quote change.
    let reworded = "– Läget är inte under kontroll, säger Anna Berg, presstalesperson på polisen.";
    assert_eq!(kinds(&diff(old, reworded)), vec![Kind::QuoteChanged]);
}

#[test]
fn a_revised_figure_with_another_qualifier_is_number_changed() {
    for (old, new) in [
        (
            "Some 1,200 people were evacuated.",
            "More than 2,000 people were evacuated.",
        ),
        (
            "Minst 18 människor har dött i ovädret.",
            "Över 20 människor har dött i ovädret.",
        ),
        // Too few words left in common to pair by overlap: paired as a revised figure.
        ("Up to 40 people died.", "At least 45 people died."),
    ] {
        let events = diff(old, new);
        assert_eq!(
            kinds(&events),
            vec![Kind::NumberChanged],
            "{old:?} → {new:?}"
        );
    }
    // The same figure under another qualifier is a fact changed, not a number.
    assert_eq!(
        kinds(&diff("Up to 40 people died.", "At least 40 people died.")),
        vec![Kind::FactChanged]
    );
}

#[test]
fn a_month_spelt_out_or_abbreviated_is_cosmetic_and_another_month_is_not() {
    let body = "The vote was set for Sept. 5.\n\nValet hålls i jan.";
    let spelt = "The vote was set for September 5.\n\nValet hålls i januari.";
    assert!(diff(body, spelt).is_empty());
    let other = "The vote was set for October 5.\n\nValet hålls i januari.";
    assert_eq!(kinds(&diff(body, other)), vec![Kind::FactChanged]);
}

#[test]
fn quote_and_apostrophe_styles_are_cosmetic() {
    let a = "“We are ready,” Okafor said of Northland’s offer.";
    let b = "\"We are ready,\" Okafor said of Northland's offer.";
    assert!(diff(a, b).is_empty());
    let c = "«We are ready», Okafor said of Northland's offer.";
    assert!(diff(a, c).is_empty());
}

/// "A. B." and "A, and B." state the same facts: joining two sentences with a conjunction, or
/// splitting one there, is cosmetic; a join that also changes what is said is not.
#[test]
fn two_sentences_joined_by_a_conjunction_are_cosmetic() {
    let two = "Eight people died in the blast. The army said it would investigate.";
    let one = "Eight people died in the blast, and the army said it would investigate.";
    assert!(diff(two, one).is_empty(), "{:#?}", diff(two, one));
    assert!(diff(one, two).is_empty(), "{:#?}", diff(one, two));
    let sv_two = "Två personer har gripits. Polisen tror att de planerade dådet.";
    let sv_one = "Två personer har gripits och polisen tror att de planerade dådet.";
    assert!(
        diff(sv_two, sv_one).is_empty(),
        "{:#?}",
        diff(sv_two, sv_one)
    );
    let changed = "Eight people died in the blast, but the army said it would not investigate.";
    assert!(!diff(two, changed).is_empty());
}

/// Two sentences joined while one of them is reworded, or one split while reworded, is one
/// change: the part carried over whole is neither a retraction nor news.
#[test]
fn a_join_or_split_with_a_rewording_is_one_change() {
    let two = "Eight people died in the blast. The army said it would investigate.";
    let one = "Eight people died in the blast, and the army said it would investigate.";
    for (old, new) in [
        (
            two,
            "Eight people died in the blast, but the army said it would not investigate.",
        ),
        (
            one,
            "Eight people died in the blast. The army said it would not investigate.",
        ),
    ] {
        let events = diff(old, new);
        assert_eq!(kinds(&events), vec![Kind::FactChanged], "{events:#?}");
        assert!(
            events[0].numbers.is_empty(),
            "no figure changed: {events:#?}"
        );
    }
    // The figure of the part carried over is compared with its old value, not added anew.
    let events = diff(
        two,
        "Eleven people died in the blast, and the army said it would investigate.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    let n = &events[0].numbers;
    assert_eq!(
        (n[0].before.as_deref(), n[0].after.as_deref()),
        (Some("Eight"), Some("Eleven"))
    );
}

#[test]
fn a_moved_paragraph_emits_nothing_and_is_recorded_as_moved() {
    let paras: Vec<&str> = BODY.split("\n\n").collect();
    let moved = [paras[3], paras[0], paras[1], paras[2]].join("\n\n");
    let engine = Engine::with_defaults();
    let state = first(&engine, &version(1, "H", BODY));
    let out = engine.process(
        Some(&state),
        &version(2, "H", &moved),
        &Origin::default(),
        NOW,
    );
    assert!(out.events.is_empty(), "{:#?}", out.events);
    assert_eq!(out.revision.status, RevisionStatus::Moved);
}

#[test]
fn a_moved_paragraph_cut_into_sentences_differently_emits_nothing() {
    // "–We" unspaced is not read as a quote's dash, so the old paragraph is three sentences;
    // "– We" makes it one quote. Moved as well, it is still the same words.
    let old = "The storm reached the island on Tuesday night.\n\n\
Roads to the airport were closed by the police.\n\n\
–We are shocked by the damage. The port is destroyed. It is a disaster, said harbour master \
Lena Berg, according to the radio.";
    let new = "– We are shocked by the damage. The port is destroyed. It is a disaster, said \
harbour master Lena Berg, according to the radio.\n\n\
The storm reached the island on Tuesday night.\n\n\
Roads to the airport were closed by the police.";
    assert_eq!(diff(old, new), vec![]);
}

#[test]
fn one_added_sentence_is_exactly_one_fact_added() {
    let new = format!("{BODY}\n\nThe talks are expected to last two days.");
    let events = diff(BODY, &new);
    assert_eq!(kinds(&events), vec![Kind::FactAdded]);
    let e = &events[0];
    assert_eq!(e.before, None);
    assert_eq!(
        e.after.as_deref(),
        Some("The talks are expected to last two days.")
    );
    assert_eq!(e.text, "The talks are expected to last two days.");
    assert_eq!(e.location.unwrap().paragraph, 5);
    assert_eq!(e.numbers[0].after.as_deref(), Some("two"));
}

#[test]
fn a_changed_figure_is_one_number_changed_with_before_and_after() {
    let events = diff(
        BODY,
        &BODY.replace("At least 8 people", "At least 11 people"),
    );
    assert_eq!(kinds(&events), vec![Kind::NumberChanged]);
    let n = &events[0].numbers;
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].before.as_deref(), n[0].after.as_deref()),
        (Some("8"), Some("11"))
    );
    assert!(events[0].categories.contains(&"casualties".to_string()));
    assert_eq!(events[0].severity, Severity::High);

    let events = diff(BODY, &BODY.replace("two weeks", "three weeks"));
    assert_eq!(kinds(&events), vec![Kind::NumberChanged]);
    let events = diff(
        "A two-week pause was agreed.",
        "A three-week pause was agreed.",
    );
    assert_eq!(events[0].numbers[0].before.as_deref(), Some("two-week"));
    assert_eq!(events[0].numbers[0].after.as_deref(), Some("three-week"));
}

#[test]
fn a_figure_change_with_other_new_information_is_fact_changed_with_numbers() {
    let events = diff(
        BODY,
        &BODY.replace(
            "At least 8 people were killed in the attack",
            "At least 11 people were killed and 20 wounded in the attack",
        ),
    );
    assert_eq!(kinds(&events), vec![Kind::FactChanged]);
    assert!(!events[0].numbers.is_empty());
}

#[test]
fn a_quote_added_in_each_style_names_its_speaker() {
    let cases = [
        (
            "“Nobody leaves this room without a plan,” Okafor told reporters.",
            "Okafor",
        ),
        (
            "\"Nobody leaves this room without a plan,\" said Okafor.",
            "Okafor",
        ),
        (
            "«Personne ne quitte cette salle sans plan», a déclaré Dupont.",
            "Dupont",
        ),
        (
            "„Niemand verlässt diesen Raum ohne Plan“, sagte Müller.",
            "Müller",
        ),
        (
            "‚Niemand verlässt diesen Raum ohne Plan‘, sagte Müller.",
            "Müller",
        ),
        (
            "”Ingen lämnar rummet utan en plan”, säger Andersson.",
            "Andersson",
        ),
        (
            "‘Nobody leaves this room without a plan,’ said Hale.",
            "Hale",
        ),
        (
            "– Ingen lämnar rummet utan en plan, säger Bo Ericsson.",
            "Bo Ericsson",
        ),
        (
            "Okafor said: “Nobody leaves this room without a plan.”",
            "Okafor",
        ),
        (
            "According to Okafor, “nobody leaves this room without a plan”.",
            "Okafor",
        ),
    ];
    for (sentence, speaker) in cases {
        let events = diff(BODY, &format!("{BODY}\n\n{sentence}"));
        assert_eq!(kinds(&events), vec![Kind::QuoteAdded], "{sentence}");
        let q = events[0].quote.as_ref().expect("quote filled");
        assert_eq!(q.speaker.as_deref(), Some(speaker), "{sentence}");
        assert!(events[0].categories.contains(&"statement".to_string()));
    }
}

#[test]
fn she_said_after_a_named_person_resolves_to_that_person() {
    let events = diff(
        BODY,
        &format!("{BODY} “It will be a long night,” she said."),
    );
    assert_eq!(kinds(&events), vec![Kind::QuoteAdded]);
    assert_eq!(
        events[0].quote.as_ref().unwrap().speaker.as_deref(),
        Some("Amina Okafor")
    );
}

#[test]
fn two_quoted_sentences_under_one_attribution_are_two_quotes() {
    let events = diff(
        BODY,
        &format!("{BODY}\n\n“We are ready,” Okafor said. “The convoys must move before the rain.”"),
    );
    assert_eq!(kinds(&events), vec![Kind::QuoteAdded, Kind::QuoteAdded]);
    for e in &events {
        assert_eq!(e.quote.as_ref().unwrap().speaker.as_deref(), Some("Okafor"));
    }
    // One multi-sentence quote in one pair of marks is one.
    let events = diff(
        BODY,
        &format!("{BODY}\n\n“We are ready. The convoys must move,” Okafor said."),
    );
    assert_eq!(kinds(&events), vec![Kind::QuoteAdded]);
}

#[test]
fn a_quote_that_appears_in_a_reworded_sentence_is_quote_added() {
    let a = format!("{BODY}\n\nOkafor said the talks had been constructive and frank so far.");
    let b = format!("{BODY}\n\nOkafor said the talks had been “constructive and frank” so far.");
    assert!(
        diff(&a, &b).is_empty(),
        "adding quote marks alone is typographic"
    );
    let c =
        format!("{BODY}\n\nOkafor said the talks had been “constructive, frank and long” so far.");
    let events = diff(&a, &c);
    assert_eq!(kinds(&events), vec![Kind::QuoteAdded]);
    assert_eq!(
        events[0].quote.as_ref().unwrap().speaker.as_deref(),
        Some("Okafor")
    );
}

#[test]
fn a_figure_changed_inside_a_quote_is_number_changed() {
    let a = format!("{BODY}\n\n“We need 40 trucks a day,” Okafor said.");
    let b = format!("{BODY}\n\n“We need 60 trucks a day,” Okafor said.");
    let events = diff(&a, &b);
    assert_eq!(kinds(&events), vec![Kind::NumberChanged]);
    assert!(events[0].quote.is_some());
}

#[test]
fn scare_quotes_are_not_quotes() {
    let events = diff(
        BODY,
        &format!("{BODY}\n\nTrucks will use the “green corridor” from Monday."),
    );
    assert_eq!(kinds(&events), vec![Kind::FactAdded]);
    assert!(events[0].quote.is_none());
}

#[test]
fn a_corrected_speaker_is_quote_changed() {
    let a = format!("{BODY}\n\n“We will hold our fire,” Brandt said.");
    let b = format!("{BODY}\n\n“We will hold our fire,” said Colonel Ana Reyes.");
    let events = diff(&a, &b);
    assert_eq!(kinds(&events), vec![Kind::QuoteChanged]);
    assert_eq!(
        events[0].quote.as_ref().unwrap().speaker.as_deref(),
        Some("Ana Reyes")
    );
    assert_eq!(events[0].severity, Severity::High);
}

#[test]
fn a_retracted_sentence_is_fact_removed_with_before_only() {
    let new = BODY.replace(
        "\n\nAt least 8 people were killed in the attack, according to the regional health office.",
        "",
    );
    let events = diff(BODY, &new);
    assert_eq!(kinds(&events), vec![Kind::FactRemoved]);
    assert_eq!(events[0].after, None);
    assert_eq!(events[0].before.as_deref(), Some(events[0].text.as_str()));
    assert_eq!(events[0].location.unwrap().paragraph, 3);
}

#[test]
fn a_sentence_rewritten_beyond_recognition_is_removed_plus_added() {
    let new = BODY.replace(
        "Aid deliveries were halted two weeks ago after a convoy came under fire near the bridge.",
        "Northland has closed its embassy and recalled its ambassador.",
    );
    let events = diff(BODY, &new);
    assert_eq!(kinds(&events), vec![Kind::FactRemoved, Kind::FactAdded]);
}

#[test]
fn a_headline_rewrite_is_headline_changed_and_a_cosmetic_one_is_not() {
    let events = diff_h(
        "Envoys gather for talks",
        BODY,
        "Envoys agree to resume aid deliveries",
        BODY,
    );
    assert_eq!(kinds(&events), vec![Kind::HeadlineChanged]);
    assert_eq!(events[0].before.as_deref(), Some("Envoys gather for talks"));
    assert!(events[0].categories.contains(&"aid.resumed".to_string()));
    assert!(diff_h(
        "Envoys gather for talks",
        BODY,
        "Envoys gather for talks:",
        BODY
    )
    .is_empty());
    let events = diff_h(
        "8 dead in convoy attack",
        BODY,
        "11 dead in convoy attack",
        BODY,
    );
    assert_eq!(events[0].numbers[0].after.as_deref(), Some("11"));
}

/// A headline that gains or loses a live-coverage label says nothing new; a change behind
/// the label still counts.
#[test]
fn a_live_label_on_the_headline_is_cosmetic() {
    for (old, new) in [
        ("Floods kill 42 in north", "LIVE: Floods kill 42 in north"),
        (
            "Floods kill 42 in north – live updates",
            "Floods kill 42 in north",
        ),
        (
            "Översvämningar dödar 42",
            "JUST NU: Översvämningar dödar 42",
        ),
        // A wire service's update number.
        (
            "Floods kill 42 in north",
            "UPDATE 2-Floods kill 42 in north",
        ),
        (
            "UPDATE 1-Floods kill 42 in north",
            "UPDATE 3-Floods kill 42 in north",
        ),
        // Explainer tags.
        (
            "Floods kill 42 in north",
            "Floods kill 42 in north – what we know so far",
        ),
        (
            "Översvämningar dödar 42",
            "Översvämningar dödar 42 – det här vet vi",
        ),
        ("Floods kill 42 in north: latest", "Floods kill 42 in north"),
    ] {
        let events = diff_h(old, BODY, new, BODY);
        assert!(events.is_empty(), "{old:?} → {new:?}: {events:#?}");
    }
    let events = diff_h(
        "LIVE: Floods kill 42 in north",
        BODY,
        "LIVE: Floods kill 57 in north",
        BODY,
    );
    assert_eq!(kinds(&events), vec![Kind::HeadlineChanged]);
}

#[test]
fn page_furniture_paragraphs_emit_nothing() {
    for furniture in [
        "Texten uppdateras.",
        "Läs mer: Så gick förhandlingarna",
        "Read more: What we know so far",
        "Last updated: 15 September 2022",
        "Updated at 14:10 GMT",
        "Reporting by Anna Smith and Joe Bloggs; Editing by Tom Brown",
        "This article has been updated with more details.",
        "TT-AFP",
        "Uppdaterad 14.05",
        "Additional reporting by Jane Doe in Geneva.",
        "This story is developing and will be updated.",
        "Photo: Reuters/John Doe",
        "Foto: TT",
    ] {
        let events = diff(BODY, &format!("{BODY}\n\n{furniture}"));
        assert!(events.is_empty(), "{furniture:?}: {events:#?}");
    }
}

#[test]
fn a_correction_note_is_one_high_severity_fact_added() {
    let new = format!("{BODY}\n\nCorrection: An earlier version of this story misstated the day of the attack. It was Monday.");
    let events = diff(BODY, &new);
    assert_eq!(kinds(&events), vec![Kind::FactAdded]);
    assert!(events[0].categories.contains(&"correction".to_string()));
    assert_eq!(events[0].severity, Severity::High);
}

#[test]
fn a_dateline_or_live_time_label_added_or_dropped_is_silent_and_the_sentence_after_it_counts() {
    for dateline in [
        "14:05 ",
        "14.05: ",
        "HARBOUR CITY (Reuters) - ",
        "HARBOUR CITY — ",
        "MERROW, Northland (AP) — ",
        "MERROW, Northland, March 5 (Reuters) - ",
    ] {
        let new = format!("{dateline}{BODY}");
        assert!(diff(BODY, &new).is_empty(), "{dateline:?} added");
        assert!(diff(&new, BODY).is_empty(), "{dateline:?} dropped");
    }
    // A time that belongs to the sentence is kept.
    assert_eq!(
        redline::text::dateline_end("At 14:05, talks resumed on Monday."),
        0
    );
    // A label, a heading in capitals or a short line is no dateline.
    for line in [
        "UPDATE - August 2022",
        "CORRECTION – An earlier version misstated the toll.",
        "NO DEMAND TO RESIGN – BUT A CALL TODAY",
    ] {
        assert_eq!(redline::text::dateline_end(line), 0, "{line:?}");
    }
    assert_eq!(
        redline::text::dateline_end("GENEVA (Reuters) - Talks resumed on Monday."),
        "GENEVA (Reuters) - ".len()
    );
    let old = format!("HARBOUR CITY (Reuters) - {BODY}");
    let new = old.replace("on Tuesday for talks", "on Wednesday for talks");
    assert_eq!(kinds(&diff(&old, &new)), vec![Kind::FactChanged]);
}

#[test]
fn a_clause_split_off_with_a_pronoun_for_its_subject_emits_nothing() {
    let new = BODY.replace(
        "Foreign Minister Amina Okafor, who chairs the talks, said she expected a difficult first day.",
        "Foreign Minister Amina Okafor said she expected a difficult first day. She chairs the talks.",
    );
    assert_ne!(new, BODY);
    assert!(diff(BODY, &new).is_empty());
}

#[test]
fn a_note_that_the_story_was_updated_to_correct_it_is_a_correction_not_furniture() {
    let new =
        format!("{BODY}\n\nThis story has been updated to correct the number of people killed.");
    let events = diff(BODY, &new);
    assert_eq!(kinds(&events), vec![Kind::FactAdded]);
    assert!(events[0].categories.contains(&"correction".to_string()));
    assert_eq!(events[0].severity, Severity::High);
}

#[test]
fn stale_duplicate_and_conflicting_versions_emit_nothing_and_are_recorded() {
    let engine = Engine::with_defaults();
    let v1 = version(1, "H", BODY);
    let s1 = first(&engine, &v1);
    let v2 = version(2, "H", &format!("{BODY}\n\nNew fact here today."));
    let s2 = engine
        .process(Some(&s1), &v2, &Origin::default(), NOW)
        .state;

    let cases = [
        (
            version(2, "H", &format!("{BODY}\n\nNew fact here today.")),
            RevisionStatus::Duplicate,
        ),
        (version(1, "H", BODY), RevisionStatus::Stale),
        (
            version(2, "H", "Something else entirely."),
            RevisionStatus::Conflict,
        ),
    ];
    for (v, status) in cases {
        let out = engine.process(Some(&s2), &v, &Origin::default(), NOW);
        assert!(out.events.is_empty());
        assert_eq!(out.revision.status, status);
        assert_eq!(out.state.version, 2);
        assert_eq!(out.state.paragraphs, s2.paragraphs, "state untouched");
        assert_eq!(
            out.revision.prev_hash.as_deref(),
            Some(s2.last_revision_hash.as_str())
        );
    }
}

#[test]
fn versions_without_numbers_follow_arrival_order() {
    let engine = Engine::with_defaults();
    let mut v = version(0, "H", BODY);
    v.version = None;
    let s1 = first(&engine, &v);
    assert_eq!(s1.version, 1);
    let out = engine.process(Some(&s1), &v, &Origin::default(), NOW);
    assert_eq!(out.revision.status, RevisionStatus::Duplicate);
    v.body = Some(format!("{BODY}\n\nA new line arrives."));
    let out = engine.process(Some(&s1), &v, &Origin::default(), NOW);
    assert_eq!(out.revision.version, 2);
    assert_eq!(out.events[0].event_id, "s/2/1");
}

#[test]
fn revision_records_chain_by_hash() {
    let engine = Engine::with_defaults();
    let a = engine.process(None, &version(1, "H", BODY), &Origin::default(), NOW);
    let b = engine.process(
        Some(&a.state),
        &version(2, "H2 new words", BODY),
        &Origin::default(),
        NOW,
    );
    assert_eq!(a.revision.prev_hash, None);
    assert_eq!(
        b.revision.prev_hash.as_deref(),
        Some(a.revision.hash.as_str())
    );
    assert_eq!(redline::engine::revision_hash(&b.revision), b.revision.hash);
    assert_eq!(b.revision.event_ids, vec!["s/2/1".to_string()]);
}

#[test]
fn html_bodies_are_read_as_paragraphs() {
    let engine = Engine::with_defaults();
    let mut v1 = version(1, "H", "");
    v1.body = None;
    v1.body_html = Some("<p>Aid convoys &amp; envoys arrived.</p><p>Talks began.</p>".into());
    let s1 = first(&engine, &v1);
    assert_eq!(
        s1.paragraphs,
        vec!["Aid convoys & envoys arrived.", "Talks began."]
    );
    let mut v2 = v1.clone();
    v2.version = Some(2);
    v2.body_html = Some(
        "<p>Aid convoys &amp; envoys arrived.</p><p>Talks began.</p><p>Talks ended.</p>".into(),
    );
    let out = engine.process(Some(&s1), &v2, &Origin::default(), NOW);
    assert_eq!(kinds(&out.events), vec![Kind::FactAdded]);
}

#[test]
fn the_same_input_gives_the_same_events() {
    let engine = Engine::with_defaults();
    let s = first(&engine, &version(1, "H", BODY));
    let v2 = version(
        2,
        "H",
        &BODY.replace("8", "9").replace("Tuesday", "Wednesday"),
    );
    let a = engine.process(Some(&s), &v2, &Origin::default(), NOW);
    let b = engine.process(Some(&s), &v2, &Origin::default(), NOW);
    assert_eq!(a, b);
}

#[test]
fn an_apostrophe_fix_and_a_fuller_name_for_the_same_speaker_are_cosmetic() {
    assert!(diff(
        "Drivers licenses are accepted.",
        "Driver’s licenses are accepted."
    )
    .is_empty());
    let a = format!("{BODY}\n\n“We will not step aside,” said Lööf.");
    let b = format!("{BODY}\n\n“We will not step aside,” said Annie Lööf.");
    assert!(diff(&a, &b).is_empty());
    // Named with a title in front: still the same person, still no information.
    let c = format!("{BODY}\n\n“We will not step aside,” said Foreign Minister Annie Lööf.");
    let d = format!("{BODY}\n\n– Vi kliver inte åt sidan, säger Lööf.");
    let e = format!("{BODY}\n\n– Vi kliver inte åt sidan, säger Centerledaren Annie Lööf.");
    assert!(diff(&b, &c).is_empty(), "{:?}", diff(&b, &c));
    assert!(diff(&d, &e).is_empty(), "{:?}", diff(&d, &e));
}
