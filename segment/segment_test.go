package segment_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stance-project/stance/segment"
)

func texts(in string) []string {
	var out []string
	for _, s := range segment.Split(in, nil) {
		out = append(out, s.Text(in))
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"TwoSentences", "وصل كيري إلى موسكو. والتقى لافروف.", []string{"وصل كيري إلى موسكو.", "والتقى لافروف."}},
		{"QuestionMarks", "هل ننسق مع روسيا؟ لا. لماذا?", []string{"هل ننسق مع روسيا؟", "لا.", "لماذا?"}},
		{"NotAtArabicCommaOrSemicolon", "رحبت موسكو، ورفضت واشنطن؛ ثم صمت الجميع.", []string{"رحبت موسكو، ورفضت واشنطن؛ ثم صمت الجميع."}},
		{"Decimal", "ارتفعت النسبة إلى 3.5 في المئة.", []string{"ارتفعت النسبة إلى 3.5 في المئة."}},
		{"ArabicIndicDecimal", "بلغت ٣.٥ مليار دولار.", []string{"بلغت ٣.٥ مليار دولار."}},
		{"Date", "في 14.07.2016 وصل الوفد.", []string{"في 14.07.2016 وصل الوفد."}},
		{"DoctorAbbreviation", "وقال د. محمد العلي إن الاتفاق هش.", []string{"وقال د. محمد العلي إن الاتفاق هش."}},
		{"Initials", "كتب أ. م. ص. الحسيني مقالا.", []string{"كتب أ. م. ص. الحسيني مقالا."}},
		{"LatinAbbreviation", "وقال Dr. Smith إن U.S. forces remain.", []string{"وقال Dr. Smith إن U.S. forces remain."}},
		{"QuoteContinues", "وقال: «لن ننسق. ليس الآن». ثم غادر.", []string{"وقال: «لن ننسق. ليس الآن».", "ثم غادر."}},
		{"CurlyQuoteOpenedWithRight", "وأضاف ” أعلم ذلك. لكن لا”. وانتهى.", []string{"وأضاف ” أعلم ذلك. لكن لا”.", "وانتهى."}},
		{"StraightQuote", `وقال "هذا خطأ. كبير." ومضى.`, []string{`وقال "هذا خطأ. كبير."`, "ومضى."}},
		{"UnclosedQuoteDoesNotSwallowLine", "وقال «لا نخطط للعمل معهم. وانتهى المؤتمر.", []string{"وقال «لا نخطط للعمل معهم.", "وانتهى المؤتمر."}},
		{"EllipsisRun", "انتهى كل شيء ..... الرجل يريد ذلك ... يريد المزيد.", []string{"انتهى كل شيء .....", "الرجل يريد ذلك ...", "يريد المزيد."}},
		{"UnicodeEllipsis", "موسكو تجدد العرض … المباحثات متعثرة", []string{"موسكو تجدد العرض …", "المباحثات متعثرة"}},
		{"DoublePeriodHeadline", "«البنتاغون» مصر على رفضه.. وموسكو تجدد عرضها", []string{"«البنتاغون» مصر على رفضه..", "وموسكو تجدد عرضها"}},
		{"GluedToNextWord", "قتل 12 شخصا على الأقل.وأضاف المسؤول أن الهجوم متعمد.", []string{"قتل 12 شخصا على الأقل.", "وأضاف المسؤول أن الهجوم متعمد."}},
		{"LineBreaksMakeFurniture", "سورية\n\nعنوان بلا نقطة\n| كتب: فلان – وكالات\nنص الخبر هنا.\nزر الذهاب إلى الأعلى\n", []string{"سورية", "عنوان بلا نقطة", "| كتب: فلان – وكالات", "نص الخبر هنا.", "زر الذهاب إلى الأعلى"}},
		{"CRLF", "سطر أول.\r\nسطر ثان.\r\n", []string{"سطر أول.", "سطر ثان."}},
		{"URL", "راجع www.example.com للمزيد.", []string{"راجع www.example.com للمزيد."}},
		{"Empty", "", nil},
		{"OnlySpace", " \n\t\n ", nil},
		{"OnlyPunctuation", "...", []string{"..."}},
		{"ExclamationAndQuestion", "ماذا؟! لا يعقل!", []string{"ماذا؟!", "لا يعقل!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := texts(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("Split(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("sentence %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSplitOffsetsReferToOriginal(t *testing.T) {
	in := "\u200fسورية\n  قال كيري: «نأمل». ورد لافروف؟ نعم…\n"
	runes := []rune(in)
	for _, s := range segment.Split(in, nil) {
		if got := string(runes[s.RuneStart:s.RuneEnd]); got != s.Text(in) {
			t.Errorf("rune span %q != byte span %q", got, s.Text(in))
		}
		if utf8.RuneCountInString(in[:s.Start]) != s.RuneStart {
			t.Errorf("RuneStart %d does not match byte offset %d", s.RuneStart, s.Start)
		}
	}
}
