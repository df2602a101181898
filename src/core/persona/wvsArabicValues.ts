// English → Arabic values of WVS wave-7 demographics, so a persona reads naturally in Arabic. The entries for
// sex, marital status, education, social class, regions and Egypt/Syria/United States are the paper's
// (wvs_template.{en,ar}.yml, matched by position; the recorded Arabic completions use exactly these strings);
// the rest (other WVS categories, other countries of birth) are ours.

/** Field → English value (as in the WVS CSV, after normalisation) → Arabic value. */
export type ValueDictionary = Record<string, Record<string, string>>;

const EGYPT_REGIONS: Record<string, string> = {
  Alexandria: 'الإسكندرية', Aswan: 'أسوان', Asyut: 'أسيوط', Behaira: 'البحيرة', 'Beni Swaif/Beni Suef': 'بني سويف',
  Cairo: 'القاهرة', Dakahlia: 'الدقهلية', Damiatta: 'دمياط', Fayoum: 'الفيوم', Gharbia: 'الغربية', Giza: 'الجيزة',
  Ismailia: 'الإسماعيلية', 'Kafr el-sheikh': 'كفر الشيخ', Luxor: 'الأقصر', Menofia: 'المنوفية', Menya: 'المنيا',
  'Port Said': 'بورسعيد', Qaliubiya: 'القليوبية', Qena: 'قنا', Sharkia: 'الشرقية', Sohag: 'سوهاج', Suez: 'السويس',
};

const US_REGIONS: Record<string, string> = {
  Alabama: 'ألاباما', Arkansas: 'أركنساس', Arizona: 'أريزونا', California: 'كاليفورنيا', Colorado: 'كولورادو',
  Connecticut: 'كونيتيكت', 'District of Columbia': 'واشنطن العاصمة', Delaware: 'ديلاوير', Florida: 'فلوريدا',
  Georgia: 'جورجيا', Hawaii: 'هاواي', Iowa: 'آيوا', Idaho: 'إيداهو', Illinois: 'إلينوي', Indiana: 'إنديانا',
  Kansas: 'كانساس', Kentucky: 'كنتاكي', Louisiana: 'لويزيانا', Massachusetts: 'ماساتشوستس', Maryland: 'ماريلاند',
  Maine: 'ماين', Michigan: 'ميشيغان', Minnesota: 'مينيسوتا', Missouri: 'ميزوري', Mississippi: 'ميسيسيبي',
  Montana: 'مونتانا', 'North Carolina': 'كارولينا الشمالية', 'North Dakota': 'داكوتا الشمالية', Nebraska: 'نبراسكا',
  'New Hampshire': 'نيو هامبشاير', 'New Jersey': 'نيو جيرسي', 'New Mexico': 'نيو مكسيكو', Nevada: 'نيفادا',
  'New York': 'نيويورك', Ohio: 'أوهايو', Oklahoma: 'أوكلاهوما', Oregon: 'أوريغون', Pennsylvania: 'بنسلفانيا',
  'Rhode Island': 'رود آيلاند', 'South Carolina': 'كارولينا الجنوبية', 'South Dakota': 'داكوتا الجنوبية',
  Tennessee: 'تينيسي', Texas: 'تكساس', Utah: 'يوتا', Virginia: 'فرجينيا', Vermont: 'فيرمونت', Washington: 'واشنطن',
  Wisconsin: 'ويسكونسن', 'West Virginia': 'فيرجينيا الغربية', Wyoming: 'وايومنغ',
};

/** Keys are the WVS labels as they appear in the CSV (capitalised); see normaliseWvsValue for English forms. */
export const WVS_ARABIC_VALUES: ValueDictionary = {
  sex: { Male: 'رجل', Female: 'امرأة' },
  marital_status: {
    Married: 'متزوج', Widowed: 'أرمل', Single: 'أعزب', Divorced: 'مُطلّق', Separated: 'منفصل',
    'Living together as married': 'مرتبط ويعيش مع شريك',
  },
  education: { Higher: 'التعليم العالي', Middle: 'التعليم المتوسط', Lower: 'تعليمي منخفض' },
  social_class: {
    'Upper middle class': 'المتوسطة العليا', 'Lower middle class': 'المتوسطة الدنيا', 'Working class': 'العاملة',
    'Lower class': 'المعدمة', 'Upper class': 'العليا',
  },
  region: { ...EGYPT_REGIONS, ...US_REGIONS },
  country: {
    Egypt: 'مصر', Syria: 'سوريا', 'United States': 'الولايات المتحدة الأمريكية',
    Algeria: 'الجزائر', 'American Samoa': 'ساموا الأمريكية', Canada: 'كندا', Chile: 'تشيلي', China: 'الصين',
    'El Salvador': 'السلفادور', Guam: 'غوام', 'Hong Kong SAR': 'هونغ كونغ', India: 'الهند', Iran: 'إيران',
    Ireland: 'أيرلندا', Jamaica: 'جامايكا', Japan: 'اليابان', Kenya: 'كينيا', Mexico: 'المكسيك', Moldova: 'مولدوفا',
    Philippines: 'الفلبين', Slovakia: 'سلوفاكيا', Ukraine: 'أوكرانيا', 'United Kingdom': 'المملكة المتحدة',
    Vietnam: 'فيتنام', Jordan: 'الأردن', Lebanon: 'لبنان', Iraq: 'العراق', Morocco: 'المغرب', Tunisia: 'تونس',
    Libya: 'ليبيا', Sudan: 'السودان', Palestine: 'فلسطين', Yemen: 'اليمن', 'Saudi Arabia': 'السعودية',
  },
};
