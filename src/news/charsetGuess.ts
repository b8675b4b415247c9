import iconv from "iconv-lite";

/**
 * The single-byte charsets an undeclared (or wrongly declared) feed of this region is in: old
 * Russian-language sites in windows-1251 or KOI8-R, Western European ones in windows-1252.
 */
export const GUESSED_CHARSETS = ["windows-1251", "koi8-r", "windows-1252"] as const;
export type GuessedCharset = (typeof GUESSED_CHARSETS)[number];

/** Enough text to judge; a feed states its charset's letters many times over in 64 KB. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Picks the charset among GUESSED_CHARSETS under which the bytes read most like natural text.
 * A small letter model, not a dictionary: in real text a Cyrillic letter sits beside Cyrillic
 * letters and is mostly lower case, an accented Latin letter sits inside a word of plain Latin
 * letters, and box-drawing or control characters do not occur. Reading KOI8-R as windows-1251
 * gives mostly capitals inside words; Russian read as windows-1252 gives runs of accented
 * letters; Portuguese read as windows-1251 gives Cyrillic letters inside Latin words. Pure.
 */
export function guessSingleByteCharset(bytes: Buffer): GuessedCharset {
  return bestSingleByte(sampleOf(bytes)).charset;
}

function sampleOf(bytes: Buffer): Buffer {
  if (bytes.length <= SAMPLE_BYTES) return bytes;
  // Never end the sample inside a multi-byte character (an East Asian guess would fail on it).
  let end = SAMPLE_BYTES;
  while (end > SAMPLE_BYTES - 4 && (bytes[end] ?? 0) >= 0x80) end--;
  return bytes.subarray(0, end);
}

function bestSingleByte(sample: Buffer): { charset: GuessedCharset; score: number } {
  let best: GuessedCharset = GUESSED_CHARSETS[0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const charset of GUESSED_CHARSETS) {
    const score = plausibility(iconv.decode(sample, charset));
    if (score > bestScore) {
      best = charset;
      bestScore = score;
    }
  }
  return { charset: best, score: bestScore };
}

/** East Asian multi-byte charsets, tried only when the bytes decode without a single error. */
export const EAST_ASIAN_CHARSETS = ["euc-jp", "shift_jis", "euc-kr", "gb18030", "big5"] as const;
export type EastAsianCharset = (typeof EAST_ASIAN_CHARSETS)[number];

/**
 * Like guessSingleByteCharset, but an East Asian multi-byte charset wins when the bytes decode
 * under it without an error and read more like Japanese, Korean or Chinese (kana, frequent
 * Hangul syllables, frequent Chinese characters) than the best single-byte reading reads like
 * Russian or a Western language. Russian or Portuguese bytes almost never decode cleanly as a
 * multi-byte charset (a lone high byte before a space is an error), so they are not at risk.
 */
export function guessCharset(bytes: Buffer): GuessedCharset | EastAsianCharset {
  const sample = sampleOf(bytes);
  const single = bestSingleByte(sample);
  let best: GuessedCharset | EastAsianCharset = single.charset;
  let bestScore = single.score;
  for (const charset of EAST_ASIAN_CHARSETS) {
    const text = iconv.decode(sample, charset);
    if (text.includes("\uFFFD")) continue;
    const score = eastAsianPlausibility(text, charset);
    if (score > bestScore) {
      best = charset;
      bestScore = score;
    }
  }
  return best;
}

// The most frequent Chinese characters, in both their simplified and traditional forms, so that
// GB and Big5 readings are judged by the same list.
const FREQUENT_HANZI = new Set(
  "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日军軍者意无無力它与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并並物手应應战戰向头頭文体體政美相见見被利什二等产產或新己制身果加西斯月话話合回特代内內信表化老给給世位次度门門任常先海通教儿兒原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活更别別打女变變四神总總何电電数數安少报報才结結反受目太量再感建务務做接必场場件计計管期市直资資命山金指许許统統区區保至队隊形社便空决決治展科司五基书書非则則白界达達光放强強即像难難且权權思王象完设設式色路记記南品住告类類求据據程北边邊死张張该該交规規万萬取格望觉覺术術领領共确確传傳师師观觀清今切院让讓识識候带帶导導争爭运運改收根造言联聯持组組每济濟车車亲親极極服快办辦议議往元英士证證近失转轉令准布始存未远遠台单單影具字爱愛流备備连連调調深商算质質团團集百需价價花党黨华華城级級整府离離况況请請技际際约約示复復息究线線似官断斷精满滿支视視消越器容照须須增研写寫称稱企功包片史委查轻輕易早曾除农農找装裝广廣显顯图圖念引历歷首医醫局专專费費号號另周较較注语語仅僅考青随隨选選列红紅响響推势勢参參希古众眾构構房半节節投某案维維划劃致律足态態护護兴興派验驗责責营營够夠章音跟志底站严嚴例防族供效续續施留讲講型料终終答紧緊绝絕奇察京段依批群项項故按围圍织織境客纪紀采举舉父密低友诉訴止细細愿願千值仍钱錢网網热熱助育属屬限职職速刻乐樂否状狀率独獨般普校创創久错錯承印试試股预預益微继繼送急惊驚素适適波省初喜卫衛源食险險待述陆陸习習置居劳勞财財环環排福纳納欢歡警获獲模充负負停游层層略范句室异異激村策演简簡判担擔静靜退既宗积積余检檢差富协協角占配征修胜勝降阶階审審坚堅善读讀超免压壓银銀买買养養执執副乱亂抗追帮幫宣航优優著田控税稅左右份艺藝背概块塊敢守索款靠评評版座释釋景顾顧登货貨互付换換闻聞危核介坏壞讨討良序升监監临臨永域括误誤减減编編测測败敗散温溫困封救贵貴缺移画畫班智短掌固席松秘谢謝遇康虑慮幸均销銷藏票损損端探录錄附吸予礼禮港板庭归歸含顺順输輸招补補督旅材逐笔筆词詞择擇寻尋厂廠博授诺諾岸健堂借君禁园園避荣榮束练練篇馆館遍础礎卷宁寧纸紙训訓私丝絲翻访訪店典欲盘盤扩擴盖蓋稳穩亿億拥擁齐齊赛賽趣迎透购購替努途绿綠迅套贸貿毕畢轮輪库庫促延伟偉申缓緩售络絡抵植纯純页頁筑築折尊秀混振盛圆圓措培迷诚誠宽寬宇摆擺盟末拍中文翻译譯改件感您希望容易助",
);
// Frequent Korean syllables: a Chinese text read as EUC-KR gives Hangul too, but not these.
const FREQUENT_HANGUL = new Set(
  "이의다는에을하고가지서한로기사도를대으리수자인시과어있국일제정나전해장부아보게상주것들니요면라되원경적여그만내우동모소할했였세성문발치무용생거계분비신연중학회실요금위유화이러데록었없터표",
);

function eastAsianPlausibility(text: string, charset: EastAsianCharset): number {
  let score = 0;
  let count = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) continue;
    count++;
    const kana = code >= 0x3040 && code <= 0x30ff;
    const hangul = code >= 0xac00 && code <= 0xd7a3;
    const han = code >= 0x4e00 && code <= 0x9fff;
    const punctuation = (code >= 0x3000 && code <= 0x303f) || (code >= 0xff01 && code <= 0xff5e);
    if (punctuation) score += 0.5;
    else if (charset === "euc-jp" || charset === "shift_jis") score += kana ? 2 : han ? 0.5 : -1;
    else if (charset === "euc-kr") score += hangul ? (FREQUENT_HANGUL.has(ch) ? 2 : 0.5) : han ? 0.2 : -1;
    else score += han ? (FREQUENT_HANZI.has(ch) ? 2 : 0.3) : -1;
  }
  return count === 0 ? Number.NEGATIVE_INFINITY : score / count;
}

type CharClass = "ascii-letter" | "cyr-lower" | "cyr-upper" | "latin" | "punct" | "bad" | "other" | "plain";

function classify(code: number): CharClass {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return "ascii-letter";
  if (code < 0x80) return "plain";
  if ((code >= 0x430 && code <= 0x45f) || (code >= 0x4a0 && code <= 0x4ff && code % 2 === 1))
    return "cyr-lower";
  if ((code >= 0x400 && code <= 0x42f) || (code >= 0x4a0 && code <= 0x4ff)) return "cyr-upper";
  if (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) return "latin";
  if (
    (code >= 0x2010 && code <= 0x2026) ||
    code === 0xab ||
    code === 0xbb ||
    code === 0xa0 ||
    code === 0xa9 ||
    code === 0xb0 ||
    code === 0x2116 ||
    code === 0x20ac
  ) {
    return "punct";
  }
  if (code === 0xfffd || (code >= 0x80 && code <= 0x9f) || (code >= 0x2500 && code <= 0x25ff)) return "bad";
  return "other";
}

/** Average plausibility of the non-ASCII characters of `text`; higher reads more like language. */
function plausibility(text: string): number {
  let score = 0;
  let count = 0;
  let prev: CharClass = "plain";
  let current: CharClass = text.length > 0 ? classify(text.charCodeAt(0)) : "plain";
  for (let i = 0; i < text.length; i++) {
    const next: CharClass = i + 1 < text.length ? classify(text.charCodeAt(i + 1)) : "plain";
    if (current !== "plain" && current !== "ascii-letter") {
      count++;
      score += charScore(prev, current, next);
    }
    prev = current;
    current = next;
  }
  return count === 0 ? 0 : score / count;
}

function isCyrillic(c: CharClass): boolean {
  return c === "cyr-lower" || c === "cyr-upper";
}

function charScore(prev: CharClass, c: CharClass, next: CharClass): number {
  const besideAscii = prev === "ascii-letter" || next === "ascii-letter";
  switch (c) {
    case "cyr-lower":
      return besideAscii ? -1 : 1;
    case "cyr-upper":
      if (besideAscii) return -1;
      if (next === "cyr-lower") return 1;
      // A capital after a lower-case letter inside a word: the cases are swapped (KOI8-R).
      if (prev === "cyr-lower") return -1;
      return isCyrillic(next) || isCyrillic(prev) ? 0.3 : 0;
    case "latin":
      if (besideAscii) return 1;
      return prev === "latin" && next === "latin" ? -1 : 0;
    case "punct":
      return 0.5;
    case "bad":
      return -3;
    default:
      return -0.5;
  }
}
