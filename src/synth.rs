//! `linkj gen`: realistic synthetic datasets in our schema, for benchmarks and for trying
//! linkj at sizes the real network will never reach. Deterministic for a given seed.

use std::io::{self, Write};

/// SplitMix64: tiny, fast, and the same sequence everywhere for a seed.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// (kanji, kana, romaji, prefecture ja, prefecture en)
const JP_PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("札幌", "さっぽろ", "Sapporo", "北海道", "Hokkaido"),
    ("仙台", "せんだい", "Sendai", "宮城県", "Miyagi"),
    ("つくば", "つくば", "Tsukuba", "茨城県", "Ibaraki"),
    ("千葉", "ちば", "Chiba", "千葉県", "Chiba"),
    ("柏", "かしわ", "Kashiwa", "千葉県", "Chiba"),
    ("横浜", "よこはま", "Yokohama", "神奈川県", "Kanagawa"),
    ("川崎", "かわさき", "Kawasaki", "神奈川県", "Kanagawa"),
    ("静岡", "しずおか", "Shizuoka", "静岡県", "Shizuoka"),
    ("名古屋", "なごや", "Nagoya", "愛知県", "Aichi"),
    ("金沢", "かなざわ", "Kanazawa", "石川県", "Ishikawa"),
    ("京都", "きょうと", "Kyoto", "京都府", "Kyoto"),
    ("大阪", "おおさか", "Osaka", "大阪府", "Osaka"),
    ("神戸", "こうべ", "Kobe", "兵庫県", "Hyogo"),
    ("岡山", "おかやま", "Okayama", "岡山県", "Okayama"),
    ("広島", "ひろしま", "Hiroshima", "広島県", "Hiroshima"),
    ("徳島", "とくしま", "Tokushima", "徳島県", "Tokushima"),
    ("福岡", "ふくおか", "Fukuoka", "福岡県", "Fukuoka"),
    ("熊本", "くまもと", "Kumamoto", "熊本県", "Kumamoto"),
    ("鹿児島", "かごしま", "Kagoshima", "鹿児島県", "Kagoshima"),
    ("那覇", "なは", "Naha", "沖縄県", "Okinawa"),
    ("鶴岡", "つるおか", "Tsuruoka", "山形県", "Yamagata"),
    ("新潟", "にいがた", "Niigata", "新潟県", "Niigata"),
    ("松本", "まつもと", "Matsumoto", "長野県", "Nagano"),
    ("浜松", "はままつ", "Hamamatsu", "静岡県", "Shizuoka"),
];

/// (city en, city ja, state/country en, country code, region)
// One place a line, as in `JP_PLACES`: rustfmt would spread the longer rows over
// several lines each.
#[rustfmt::skip]
const WORLD_PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("Boston", "ボストン", "Massachusetts", "US", "north-america"),
    ("San Diego", "サンディエゴ", "California", "US", "north-america"),
    ("San Francisco", "サンフランシスコ", "California", "US", "north-america"),
    ("Seattle", "シアトル", "Washington", "US", "north-america"),
    ("Houston", "ヒューストン", "Texas", "US", "north-america"),
    ("Philadelphia", "フィラデルフィア", "Pennsylvania", "US", "north-america"),
    ("Toronto", "トロント", "Ontario", "CA", "north-america"),
    ("Montreal", "モントリオール", "Quebec", "CA", "north-america"),
    ("Vancouver", "バンクーバー", "British Columbia", "CA", "north-america"),
    ("London", "ロンドン", "England", "GB", "europe"),
    ("Cambridge", "ケンブリッジ", "England", "GB", "europe"),
    ("Edinburgh", "エディンバラ", "Scotland", "GB", "europe"),
    ("Paris", "パリ", "Ile-de-France", "FR", "europe"),
    ("Lyon", "リヨン", "Auvergne-Rhone-Alpes", "FR", "europe"),
    ("Marseille", "マルセイユ", "Provence", "FR", "europe"),
    ("Berlin", "ベルリン", "Berlin", "DE", "europe"),
    ("Munich", "ミュンヘン", "Bavaria", "DE", "europe"),
    ("Heidelberg", "ハイデルベルク", "Baden-Wurttemberg", "DE", "europe"),
    ("Basel", "バーゼル", "Basel-Stadt", "CH", "europe"),
    ("Zurich", "チューリッヒ", "Zurich", "CH", "europe"),
    ("Stockholm", "ストックホルム", "Stockholm", "SE", "europe"),
    ("Leiden", "ライデン", "South Holland", "NL", "europe"),
];

/// (en, ja) research fields.
const FIELDS: &[(&str, &str)] = &[
    ("Bio", "バイオ"),
    ("Genome", "ゲノム"),
    ("Neuroscience", "神経科学"),
    ("Cell Biology", "細胞生物学"),
    ("Regenerative Medicine", "再生医療"),
    ("Digital Health", "デジタルヘルス"),
    ("Drug Discovery", "創薬"),
    ("Medical Devices", "医療機器"),
    ("Immunology", "免疫学"),
    ("Cancer Research", "がん研究"),
    ("Health Data", "健康データ"),
    ("Life Science", "ライフサイエンス"),
];

/// (kind id, en pattern, ja suffix)
const KINDS: &[(&str, &str, &str)] = &[
    ("university", "{place} University of {field}", "{field}大学"),
    (
        "research-institute",
        "{place} Institute for {field}",
        "{field}研究所",
    ),
    ("cluster", "{place} {field} Cluster", "{field}クラスター"),
    (
        "local-government",
        "{place} {field} Promotion Office",
        "{field}振興課",
    ),
    (
        "research-park",
        "{place} {field} Research Park",
        "{field}リサーチパーク",
    ),
    ("foundation", "{place} {field} Foundation", "{field}財団"),
    (
        "tech-transfer",
        "{place} {field} Technology Transfer",
        "{field}技術移転機構",
    ),
];

const SCOPE: &[(&str, &str)] = &[
    (
        "刊行物、資料、情報の交換",
        "Exchange of publications, materials and information",
    ),
    (
        "プログラムやイベントの相互開催",
        "Holding programmes and events for each other",
    ),
    (
        "双方の会員へのサービス提供",
        "Services for each other's members",
    ),
    ("相互訪問", "Mutual visits"),
    (
        "活動、イベント、プログラム等における共催、協賛、告知等の協力",
        "Cooperation in co-hosting, sponsoring and publicising activities, events and programmes",
    ),
    (
        "国内外バイオクラスター等との連携推進",
        "Promoting links with bio-clusters in Japan and abroad",
    ),
    (
        "スタートアップ支援における協力",
        "Cooperation in supporting start-ups",
    ),
];

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "Sato"),
    ("鈴木", "Suzuki"),
    ("高橋", "Takahashi"),
    ("田中", "Tanaka"),
    ("伊藤", "Ito"),
    ("渡辺", "Watanabe"),
    ("山本", "Yamamoto"),
    ("中村", "Nakamura"),
];
const GIVEN: &[(&str, &str)] = &[
    ("健", "Ken"),
    ("花子", "Hanako"),
    ("大輔", "Daisuke"),
    ("美咲", "Misaki"),
    ("翔", "Sho"),
    ("陽子", "Yoko"),
    ("誠", "Makoto"),
    ("由美", "Yumi"),
];
const WESTERN: &[&str] = &[
    "Alice Martin",
    "James Walker",
    "Sophie Dubois",
    "Lukas Becker",
    "Emma Larsson",
    "Noah Thompson",
    "Chloe Bernard",
    "Felix Keller",
];

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Writes a dataset of `count` partners for `seed` to `out`.
pub fn write_dataset(out: &mut impl Write, count: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    write_header(out, count, seed)?;
    // Dates spread evenly over 1990-2025, in ordinal order.
    let start = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
    let span_days = 35 * 365;
    for i in 0..count {
        let day = (i as u64 * span_days / count.max(1) as u64) as i64;
        write_partner(out, &mut rng, i + 1, start + chrono::Duration::days(day))?;
    }
    writeln!(out, "    ],")?;
    writeln!(out, ")")?;
    out.flush()
}

/// Everything before the partners: title, hub, regions, kinds, countries, sources.
fn write_header(out: &mut impl Write, count: usize, seed: u64) -> io::Result<()> {
    writeln!(
        out,
        "// Synthetic dataset: linkj gen --count {count} --seed {seed}. Not real partnerships."
    )?;
    writeln!(out, "Dataset(")?;
    writeln!(
        out,
        "    title: (ja: \"合成データ ({count}件)\", en: \"Synthetic network ({count} partners)\"),"
    )?;
    writeln!(out, "    as_of: \"2025-12-31\",")?;
    writeln!(
        out,
        "    hub: (name: (ja: \"合成ハブ\", en: \"Synthetic Hub\"), short: \"SYN\", seat: (ja: \"東京都中央区\", en: \"Chuo-ku, Tokyo\"), chair: (name: (ja: \"山田太郎\", en: \"Taro Yamada\"), role: (ja: \"理事長\", en: \"Chair\"), side: Hub)),"
    )?;
    writeln!(
        out,
        "    regions: [(id: \"japan\", ja: \"日本\", en: \"Japan\"), (id: \"north-america\", ja: \"北米\", en: \"North America\", tag: Some((ja: \"北米\", en: \"N. America\"))), (id: \"europe\", ja: \"欧州\", en: \"Europe\")],"
    )?;
    writeln!(
        out,
        "    kinds: [(id: \"university\", ja: \"大学\", en: \"University\", tag: Some((ja: \"大学\", en: \"Univ.\"))), (id: \"research-institute\", ja: \"研究機関\", en: \"Research institute\", tag: Some((ja: \"研究機関\", en: \"Institute\"))), (id: \"cluster\", ja: \"クラスター\", en: \"Cluster\"), (id: \"local-government\", ja: \"自治体\", en: \"Local government\", tag: Some((ja: \"自治体\", en: \"Local gov.\"))), (id: \"research-park\", ja: \"リサーチパーク\", en: \"Research park\", tag: Some((ja: \"リサーチパーク\", en: \"Res. park\"))), (id: \"foundation\", ja: \"財団\", en: \"Foundation\"), (id: \"tech-transfer\", ja: \"技術移転\", en: \"Technology transfer\", tag: Some((ja: \"技術移転\", en: \"Tech transfer\")))],"
    )?;
    writeln!(
        out,
        "    countries: [(id: \"JP\", ja: \"日本\", en: \"Japan\"), (id: \"US\", ja: \"米国\", en: \"United States\", aliases: [\"USA\", \"アメリカ\"]), (id: \"CA\", ja: \"カナダ\", en: \"Canada\"), (id: \"GB\", ja: \"英国\", en: \"United Kingdom\", aliases: [\"UK\", \"イギリス\"]), (id: \"FR\", ja: \"フランス\", en: \"France\", aliases: [\"仏\"]), (id: \"DE\", ja: \"ドイツ\", en: \"Germany\", aliases: [\"独\"]), (id: \"CH\", ja: \"スイス\", en: \"Switzerland\"), (id: \"SE\", ja: \"スウェーデン\", en: \"Sweden\"), (id: \"NL\", ja: \"オランダ\", en: \"Netherlands\")],"
    )?;
    writeln!(
        out,
        "    sources: [(file: \"synthetic\", title: (ja: \"linkj gen が生成\", en: \"Generated by linkj gen\"))],"
    )?;
    writeln!(out, "    partners: [")?;
    Ok(())
}

/// Where a partner is and what it is called there.
struct Place {
    name_ja: String,
    name_en: String,
    place_ja: String,
    place_en: String,
    country: &'static str,
    region: &'static str,
    aliases: Vec<String>,
}

/// A partner's names in both languages: the kind's patterns (en, ja) filled with the
/// field (en, ja) and the place's names (ja, en).
fn names(kind: (&str, &str), field: (&str, &str), local: (&str, &str)) -> (String, String) {
    let ((en_pat, ja_suffix), (field_en, field_ja), (local_ja, local_en)) = (kind, field, local);
    let name_ja = format!("{local_ja}{}", ja_suffix.replace("{field}", field_ja));
    let name_en = en_pat
        .replace("{place}", local_en)
        .replace("{field}", field_en);
    (name_ja, name_en)
}

/// A Japanese place for a partner of `kind` in `field`.
fn jp_place(rng: &mut Rng, kind: (&str, &str), field: (&str, &str)) -> Place {
    let (kanji, kana, romaji, pref_ja, pref_en) = *rng.pick(JP_PLACES);
    let (name_ja, name_en) = names(kind, field, (kanji, romaji));
    Place {
        name_ja,
        name_en,
        place_ja: format!("{pref_ja}{kanji}"),
        place_en: format!("{romaji}, {pref_en}"),
        country: "JP",
        region: "japan",
        aliases: vec![
            kana.to_string(),
            romaji.to_lowercase(),
            format!("{kanji}{}", field.1),
        ],
    }
}

/// A place abroad for a partner of `kind` in `field`.
fn world_place(rng: &mut Rng, kind: (&str, &str), field: (&str, &str)) -> Place {
    let (city_en, city_ja, state, cc, reg) = *rng.pick(WORLD_PLACES);
    let (name_ja, name_en) = names(kind, field, (city_ja, city_en));
    Place {
        name_ja,
        name_en,
        place_ja: city_ja.to_string(),
        place_en: format!("{city_en}, {state}"),
        country: cc,
        region: reg,
        aliases: vec![city_ja.to_string(), city_en.to_string()],
    }
}

/// The signing date as written in the dataset: mostly a day, sometimes a month or only
/// a year.
fn signed(rng: &mut Rng, date: chrono::NaiveDate) -> String {
    match rng.below(20) {
        0 => date.format("%Y").to_string(),
        1..=5 => date.format("%Y-%m").to_string(),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// One or two scope items, consecutive in [`SCOPE`], and whether the list ends in 等.
fn write_scope(out: &mut impl Write, rng: &mut Rng) -> io::Result<()> {
    let n_scope = 1 + rng.below(2);
    let first = rng.below(SCOPE.len());
    let scope: Vec<String> = (0..n_scope)
        .map(|k| {
            let (ja, en) = SCOPE[(first + k) % SCOPE.len()];
            format!("(ja:\"{ja}\",en:\"{en}\")")
        })
        .collect();
    write!(
        out,
        "scope:[{}],scope_etc:{},",
        scope.join(","),
        rng.below(2) == 0
    )
}

/// The partner's signatory: a Japanese name at home, a Western one abroad.
fn person(rng: &mut Rng, domestic: bool) -> String {
    let (sj, se) = *rng.pick(SURNAMES);
    let (gj, ge) = *rng.pick(GIVEN);
    if domestic {
        format!(
            "(name:(ja:\"{sj}{gj}\",en:\"{ge} {se}\"),role:(ja:\"理事\",en:\"Director\"),pictured:true)"
        )
    } else {
        let w = rng.pick(WESTERN);
        format!("(name:(ja:\"{w}\",en:\"{w}\"),role:(ja:\"代表\",en:\"President\"),pictured:true)")
    }
}

/// One partner, on one line, signed on (about) `date`.
fn write_partner(
    out: &mut impl Write,
    rng: &mut Rng,
    ordinal: usize,
    date: chrono::NaiveDate,
) -> io::Result<()> {
    let signed = signed(rng, date);
    let (kind, en_pat, ja_suffix) = *rng.pick(KINDS);
    let (field_en, field_ja) = *rng.pick(FIELDS);
    let domestic = rng.below(3) > 0;
    let (pattern, field) = ((en_pat, ja_suffix), (field_en, field_ja));
    let Place {
        name_ja,
        name_en,
        place_ja,
        place_en,
        country,
        region,
        aliases,
    } = if domestic {
        jp_place(rng, pattern, field)
    } else {
        world_place(rng, pattern, field)
    };
    let short: String = name_en
        .split(' ')
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(|w| &w[..1])
        .collect();
    let id = format!("p{ordinal}-{}", short.to_lowercase());
    write!(out, "(id:\"{id}\",ordinal:{ordinal},")?;
    write!(
        out,
        "name:(ja:\"{}\",en:\"{}\"),",
        esc(&name_ja),
        esc(&name_en)
    )?;
    if rng.below(2) == 0 {
        write!(out, "short:Some(\"{short}{}\"),", ordinal % 100)?;
    }
    let al: Vec<String> = aliases.iter().map(|a| format!("\"{}\"", esc(a))).collect();
    write!(out, "aliases:[{}],", al.join(","))?;
    write!(
        out,
        "country:\"{country}\",region:\"{region}\",kind:\"{kind}\","
    )?;
    write!(
        out,
        "place:(ja:\"{}\",en:\"{}\"),",
        esc(&place_ja),
        esc(&place_en)
    )?;
    write!(out, "signed:\"{signed}\",")?;
    write_scope(out, rng)?;
    if rng.below(3) == 0 {
        let partner_person = person(rng, domestic);
        write!(out, "people:[{partner_person}],")?;
    }
    if rng.below(2) == 0 {
        write!(out, "term_years:Some({}),", 3 + rng.below(3))?;
    }
    writeln!(
        out,
        "description:(ja:\"{}の{}分野の連携拠点。\",en:\"A {} partner in {}.\"),sources:[\"synthetic\"]),",
        esc(&place_ja),
        field_ja,
        field_en.to_lowercase(),
        esc(&place_en)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_datasets_are_valid_and_deterministic() {
        let mut a = Vec::new();
        write_dataset(&mut a, 300, 7).expect("gen");
        let mut b = Vec::new();
        write_dataset(&mut b, 300, 7).expect("gen");
        assert_eq!(a, b);
        let l = crate::data::load_bytes(&a, "gen.ron").expect("valid");
        assert_eq!(l.dataset.partners.len(), 300);
        for r in &l.dataset.regions {
            assert!(
                l.dataset.partners.iter().any(|p| p.region == r.id),
                "{}",
                r.id
            );
        }
        for k in &l.dataset.kinds {
            assert!(
                l.dataset.partners.iter().any(|p| p.kind == k.id),
                "{}",
                k.id
            );
        }
        let mut c = Vec::new();
        write_dataset(&mut c, 300, 8).expect("gen");
        assert_ne!(a, c);
    }
}
