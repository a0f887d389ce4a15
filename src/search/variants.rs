//! Variant forms of kanji (異体字) folded to one form for matching, so that 曾山 finds
//! 曽山 and 髙橋 finds 高橋: the sources themselves spell one person both ways.
//!
//! No maintained crate or Unicode property covers this: Unicode's normalisation
//! leaves these characters apart (they are distinct characters, not compatibility
//! forms), and the crates that fold them are single early releases. So this is a small
//! table of our own, for names of people, places and organisations. Its pairs are:
//! the traditional forms (旧字体) the Jōyō kanji table (常用漢字表, Agency for Cultural
//! Affairs, 2010) gives in brackets beside a character, for the characters common in
//! names; and variants common in names that no official table lists (髙, 﨑, 嵜, 碕,
//! 邉, 濵, 𠮷). 斉/齊 fold with 斎/齋, as the surnames 斉藤 and 斎藤 are written either
//! way. Each variant maps to one
//! form that is not itself a variant (the tests check it), so folding is idempotent.

/// (variant, the form it folds to), sorted by the variant.
const PAIRS: &[(char, char)] = &[
    ('乘', '乗'),
    ('亂', '乱'),
    ('亞', '亜'),
    ('佛', '仏'),
    ('來', '来'),
    ('傳', '伝'),
    ('價', '価'),
    ('兒', '児'),
    ('兩', '両'),
    ('冨', '富'),
    ('劍', '剣'),
    ('勞', '労'),
    ('勵', '励'),
    ('區', '区'),
    ('卷', '巻'),
    ('卽', '即'),
    ('單', '単'),
    ('嚴', '厳'),
    ('國', '国'),
    ('圓', '円'),
    ('圖', '図'),
    ('團', '団'),
    ('增', '増'),
    ('墮', '堕'),
    ('壘', '塁'),
    ('壯', '壮'),
    ('壽', '寿'),
    ('奧', '奥'),
    ('學', '学'),
    ('寢', '寝'),
    ('實', '実'),
    ('寶', '宝'),
    ('將', '将'),
    ('專', '専'),
    ('對', '対'),
    ('屆', '届'),
    ('屬', '属'),
    ('峽', '峡'),
    ('嵜', '崎'),
    ('嶋', '島'),
    ('嶌', '島'),
    ('嶽', '岳'),
    ('巢', '巣'),
    ('帶', '帯'),
    ('廢', '廃'),
    ('廣', '広'),
    ('廳', '庁'),
    ('彈', '弾'),
    ('彌', '弥'),
    ('從', '従'),
    ('德', '徳'),
    ('恆', '恒'),
    ('惠', '恵'),
    ('惱', '悩'),
    ('愼', '慎'),
    ('應', '応'),
    ('戀', '恋'),
    ('戰', '戦'),
    ('拂', '払'),
    ('拔', '抜'),
    ('拜', '拝'),
    ('插', '挿'),
    ('搖', '揺'),
    ('搜', '捜'),
    ('擇', '択'),
    ('擔', '担'),
    ('擧', '挙'),
    ('攝', '摂'),
    ('收', '収'),
    ('效', '効'),
    ('敍', '叙'),
    ('敎', '教'),
    ('數', '数'),
    ('斉', '斎'),
    ('斷', '断'),
    ('晉', '晋'),
    ('晝', '昼'),
    ('曉', '暁'),
    ('曾', '曽'),
    ('會', '会'),
    ('條', '条'),
    ('榮', '栄'),
    ('槇', '槙'),
    ('樂', '楽'),
    ('樓', '楼'),
    ('樞', '枢'),
    ('樣', '様'),
    ('檢', '検'),
    ('櫻', '桜'),
    ('權', '権'),
    ('歐', '欧'),
    ('步', '歩'),
    ('歸', '帰'),
    ('每', '毎'),
    ('氣', '気'),
    ('沒', '没'),
    ('淚', '涙'),
    ('淨', '浄'),
    ('淵', '渕'),
    ('淺', '浅'),
    ('溫', '温'),
    ('滯', '滞'),
    ('滿', '満'),
    ('潛', '潜'),
    ('澁', '渋'),
    ('澤', '沢'),
    ('濕', '湿'),
    ('濟', '済'),
    ('濱', '浜'),
    ('濵', '浜'),
    ('瀧', '滝'),
    ('瀨', '瀬'),
    ('灣', '湾'),
    ('燈', '灯'),
    ('燒', '焼'),
    ('營', '営'),
    ('爐', '炉'),
    ('爭', '争'),
    ('狀', '状'),
    ('狹', '狭'),
    ('獨', '独'),
    ('獵', '猟'),
    ('獸', '獣'),
    ('瓣', '弁'),
    ('甁', '瓶'),
    ('畫', '画'),
    ('當', '当'),
    ('疊', '畳'),
    ('癡', '痴'),
    ('發', '発'),
    ('盜', '盗'),
    ('盡', '尽'),
    ('眞', '真'),
    ('碕', '崎'),
    ('祕', '秘'),
    ('祿', '禄'),
    ('禪', '禅'),
    ('禮', '礼'),
    ('稱', '称'),
    ('穗', '穂'),
    ('竊', '窃'),
    ('竝', '並'),
    ('粹', '粋'),
    ('經', '経'),
    ('綠', '緑'),
    ('縣', '県'),
    ('縱', '縦'),
    ('總', '総'),
    ('繩', '縄'),
    ('繪', '絵'),
    ('繼', '継'),
    ('續', '続'),
    ('纖', '繊'),
    ('聲', '声'),
    ('聽', '聴'),
    ('肅', '粛'),
    ('腦', '脳'),
    ('膽', '胆'),
    ('臟', '臓'),
    ('臺', '台'),
    ('與', '与'),
    ('舊', '旧'),
    ('舍', '舎'),
    ('舖', '舗'),
    ('莊', '荘'),
    ('萬', '万'),
    ('薰', '薫'),
    ('藏', '蔵'),
    ('藝', '芸'),
    ('藥', '薬'),
    ('處', '処'),
    ('號', '号'),
    ('螢', '蛍'),
    ('蟲', '虫'),
    ('蠻', '蛮'),
    ('衞', '衛'),
    ('裝', '装'),
    ('襃', '褒'),
    ('覺', '覚'),
    ('覽', '覧'),
    ('觀', '観'),
    ('觸', '触'),
    ('謠', '謡'),
    ('證', '証'),
    ('譯', '訳'),
    ('譽', '誉'),
    ('讀', '読'),
    ('變', '変'),
    ('讓', '譲'),
    ('豐', '豊'),
    ('豫', '予'),
    ('貳', '弐'),
    ('賣', '売'),
    ('賴', '頼'),
    ('踐', '践'),
    ('輕', '軽'),
    ('轉', '転'),
    ('辨', '弁'),
    ('辭', '辞'),
    ('辯', '弁'),
    ('遞', '逓'),
    ('遲', '遅'),
    ('邉', '辺'),
    ('邊', '辺'),
    ('鄕', '郷'),
    ('醉', '酔'),
    ('醫', '医'),
    ('釀', '醸'),
    ('錄', '録'),
    ('錢', '銭'),
    ('鎭', '鎮'),
    ('鐵', '鉄'),
    ('鑄', '鋳'),
    ('鑛', '鉱'),
    ('關', '関'),
    ('隨', '随'),
    ('險', '険'),
    ('隸', '隷'),
    ('雙', '双'),
    ('霸', '覇'),
    ('靈', '霊'),
    ('靜', '静'),
    ('顏', '顔'),
    ('顯', '顕'),
    ('飜', '翻'),
    ('餘', '余'),
    ('騷', '騒'),
    ('驅', '駆'),
    ('驗', '験'),
    ('驛', '駅'),
    ('髓', '髄'),
    ('體', '体'),
    ('髙', '高'),
    ('髮', '髪'),
    ('鬪', '闘'),
    ('鷄', '鶏'),
    ('鹽', '塩'),
    ('麥', '麦'),
    ('黑', '黒'),
    ('默', '黙'),
    ('點', '点'),
    ('黨', '党'),
    ('齊', '斎'),
    ('齋', '斎'),
    ('齒', '歯'),
    ('齡', '齢'),
    ('龍', '竜'),
    ('龜', '亀'),
    ('﨑', '崎'),
    ('𠮷', '吉'),
];

/// Bits over U+4E00..=U+9FFF (the common ideographs): set where a variant is, so the
/// characters that are none (nearly all) skip the search of [`PAIRS`].
const BLOCK: (u32, u32) = (0x4E00, 0x9FFF);
const WORDS: usize = ((BLOCK.1 - BLOCK.0) / 64 + 1) as usize;
static IN_BLOCK: [u64; WORDS] = {
    let mut bits = [0u64; WORDS];
    let mut i = 0;
    while i < PAIRS.len() {
        let c = PAIRS[i].0 as u32;
        if c >= BLOCK.0 && c <= BLOCK.1 {
            let at = c - BLOCK.0;
            bits[(at / 64) as usize] |= 1 << (at % 64);
        }
        i += 1;
    }
    bits
};

/// The form `c` is matched as: its usual form if it is a variant, else itself.
#[inline]
pub(super) fn fold_variant(c: char) -> char {
    let u = c as u32;
    if u < BLOCK.0 {
        return c;
    }
    if u <= BLOCK.1 {
        let at = u - BLOCK.0;
        if IN_BLOCK[(at / 64) as usize] & (1 << (at % 64)) == 0 {
            return c;
        }
    }
    match PAIRS.binary_search_by_key(&c, |&(v, _)| v) {
        Ok(i) => PAIRS[i].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_folds_once() {
        assert!(PAIRS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(v, to) in PAIRS {
            assert_ne!(v, to);
            assert_eq!(fold_variant(v), to, "{v}");
            // The form folded to is not a variant itself.
            assert_eq!(fold_variant(to), to, "{v} -> {to}");
        }
    }

    #[test]
    fn the_variants_the_sources_and_the_issue_name_fold_together() {
        for group in [
            "曾曽",
            "髙高",
            "﨑崎嵜碕",
            "齋齊斎斉",
            "邊邉辺",
            "濵濱浜",
            "澤沢",
            "應応",
            "𠮷吉",
        ] {
            let forms: Vec<char> = group.chars().map(fold_variant).collect();
            assert!(forms.windows(2).all(|w| w[0] == w[1]), "{group}: {forms:?}");
        }
        // Characters that are not variants stay as they are.
        for c in "山明彦東京ab1カ".chars() {
            assert_eq!(fold_variant(c), c);
        }
    }
}
