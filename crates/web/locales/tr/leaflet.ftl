# Suç mağdurları için çevrimiçi bilgi broşürü. Yaklaşık 9-11 yaşındaki bir çocuğun okuyabileceği düzeyde yazıldı: kısa
# cümleler, yaygın kelimeler. Bir test, buradaki her İngilizce metnin Flesch okunabilirlik puanını kontrol eder.
# Bu metin yayına girmeden önce anadili Türkçe olan biri tarafından kontrol edilmelidir.

## Her yerde

site-name = Suç mağdurlarına yardım
exit-page = Bu sayfadan çıkın
exit-page-hint = Bu siteden hızla çıkın. Shift tuşuna üç kez art arda da basabilirsiniz.
shared-device = Bu telefonu ya da bilgisayarı başkaları da kullanıyorsa, burada okuduklarınızı görebilirler. Yapabiliyorsanız gizli pencere kullanın.
language-label = Dil
leaflet-home = Mağdurlar için bilgiler
skip-link = Ana içeriğe geç
emergency = Acil bir durumda 999'u arayın. Konuşamıyorsanız 999'u arayın ve sorulduğunda 55'e basın.
print-hint = Bu sayfayı yazdırabilirsiniz.

## Başlangıç sayfası

leaflet-title = Bir suçu bildirdikten sonra neler olur
leaflet-intro = Bir suçu bildirdiniz. Bu sayfa, bundan sonra neler olacağını, haklarınızı ve size kimlerin yardım edebileceğini anlatır.
leaflet-intro-2 = Hepsini bir kerede okumak zorunda değilsiniz. Hazır olduğunuzda tekrar bakabilirsiniz.
journey-heading = Süreciniz, adım adım
rights-link = 12 hakkınız
rights-link-text = Polisin, mahkemelerin ve diğerlerinin sizin için yapması gerekenler.
help-link = Şikâyet, yeniden inceleme ve para
help-link-text = Memnun değilseniz ne yapabileceğiniz ve zarar ya da kayıp için nasıl para isteyebileceğiniz.
support-link = Destek alın
support-link-text = Yaşadıklarınızı anlayan kişilerden ücretsiz yardım.
not-your-fault = Başınıza gelenler sizin suçunuz değil. Bununla tek başınıza baş etmek zorunda değilsiniz.

## Süreç: her adım için bir sayfa

step-label = Adım { $number } / { $total }
what-happens = Neler olur
what-we-tell-you = Size neleri bildireceğiz
who-can-help = Kimler yardım edebilir
previous-step = Geri: { $title }
next-step = İleri: { $title }

report-title = Suçu bildirirsiniz
report-summary = Polise neler olduğunu anlatırsınız.
report-happens = Polis olanları yazıya geçirir. Size bir suç referans numarası verir. Bu numarayı güvenli bir yerde saklayın. Bizi aradığınızda bu numara gerekecek.
report-told-1 = Suç referans numaranız, yazılı olarak.
report-told-2 = Dosyanızla ilgilenen polis memurunun adı ve ona nasıl ulaşabileceğiniz.
report-told-3 = Sizi ne sıklıkla ve nasıl bilgilendireceğimiz. Bunu siz seçebilirsiniz.
report-told-4 = Nereden ücretsiz destek alabileceğiniz. Kabul ederseniz, bilgilerinizi 2 iş günü içinde destek hizmetlerine iletiriz.
report-help = Hemen yardım isteyebilirsiniz. Beklemek zorunda değilsiniz.

investigation-title = Polis olayı araştırır
investigation-summary = Polis, suçu kimin işlediğini bulmaya çalışır.
investigation-happens = Polis kanıt arar. Olanları gören kişilerle konuşabilir. Birini tutuklayabilir.
investigation-happens-2 = Bazen polis bir dosyayı daha ileri götüremez. Böyle olursa size nedenini söyler.
investigation-told-1 = Biri tutuklanır ya da sorgulanırsa.
investigation-told-2 = Bir şüpheli serbest bırakılırsa ve sizin güvenliğiniz için uyması gereken kurallar varsa.
investigation-told-3 = Polis suçu araştırmayı bırakırsa ve bunun nedeni.
investigation-told-4 = En az 28 günde bir ya da birlikte kararlaştırdığımız sıklıkta yeni bilgiler.
investigation-help = Kendinizi güvende hissetmiyorsanız 999'u arayın. Dosyanızla ilgili yeni bilgiler için yardım hattını arayın.

charge-title = Suçlama kararı
charge-summary = Polis ya da bir avukat, şüphelinin mahkemeye çıkıp çıkmayacağına karar verir.
charge-happens = Suçlama, şüphelinin mahkemede o suçla resmi olarak suçlanması demektir. Bazı suçlarda kararı polis verir. Diğerlerinde kararı bir avukat verir. Bu avukat Crown Prosecution Service (Kraliyet Savcılık Servisi) için çalışır.
charge-told-1 = Şüpheli suçlanırsa ve ne zaman mahkemeye çıkması gerektiği.
charge-told-2 = Şüpheli suçlanmayacaksa ve bunun nedeni.
charge-told-3 = Bu kararın yeniden incelenmesini isteyebileceğiniz.
charge-help = Suçlamama kararına katılmıyorsanız, kararın yeniden incelenmesini isteyebilirsiniz.

pretrial-title = Duruşmadan önce
pretrial-summary = Yardım alarak mahkemeye hazırlanırsınız.
pretrial-happens = Suçlamadan sonra sizinle esas olarak Witness Care Unit (Tanık Destek Birimi) ilgilenir. Size duruşma tarihlerini bildirirler. İfade vermeniz gerekip gerekmediğini söylerler.
pretrial-happens-2 = Tanıksanız, duruşmadan önce mahkemeyi gidip görebilirsiniz. İfade verirken yardım isteyebilirsiniz. Örneğin, şüpheliyi görmemeniz için bir perde konabilir.
pretrial-told-1 = Her duruşmanın tarihi ve tarihte olan her değişiklik.
pretrial-told-2 = Şüphelinin suçu kabul edip etmediği.
pretrial-told-3 = İfade vermeniz gerekip gerekmediği.
pretrial-help = Witness Service (Tanık Hizmeti) size duruşmadan önce ve duruşma günü yardım edebilir. Bu hizmet ücretsizdir.

trial-title = Duruşma
trial-summary = Mahkeme davayı dinler.
trial-happens = Mahkeme kanıtları dinler. Şüpheliden uzakta, ayrı bir odada bekleyebilirsiniz. Witness Service'ten bir gönüllü yanınızda kalabilir.
trial-happens-2 = Duruşmalar ertelenebilir. Böyle olursa size nedenini söyleriz.
trial-told-1 = O gün neler olacağı ve nereye gitmeniz gerektiği.
trial-told-2 = Her gecikme ve nedeni.
trial-help = Yol masrafları için Witness Care Unit ile konuşun. Bu masrafları geri alabilirsiniz.

sentencing-title = Karar ve ceza
sentencing-summary = Mahkeme, şüphelinin suçlu olup olmadığına ve cezasına karar verir.
sentencing-happens = Kişi suçlu bulunursa, hâkim bir ceza belirler. Bundan önce mahkeme, mağdur beyanınızı (victim personal statement) dinleyebilir. Bu beyan, suçun hayatınızı nasıl değiştirdiğini anlatır.
sentencing-told-1 = Mahkemenin kararı, biz öğrendikten sonra 1 iş günü içinde.
sentencing-told-2 = Verilen ceza ve bunun ne anlama geldiği.
sentencing-help = Ceza verilmeden önce istediğiniz zaman bir mağdur beyanı yazabilirsiniz.

after-title = Cezadan sonra
after-summary = Bundan sonra neler olacağı ve nereden bilgi alabileceğiniz.
after-happens = Suçlu bulunan kişi karara itiraz edebilir. Uzun süre cezaevinde kalacaksa, Victim Contact Scheme (Mağdur İletişim Programı) adlı programa katılabilirsiniz. Bu program, kişinin serbest bırakılması hakkında size bilgi verir.
after-told-1 = Yapılan her itiraz ve sonucu.
after-told-2 = Victim Contact Scheme adlı programa katılıp katılamayacağınız ve nasıl katılacağınız.
after-help = Dava bittikten sonra da destek devam eder. İstediğiniz zaman destek isteyebilirsiniz.

## Haklar

rights-title = 12 hakkınız
rights-intro = Bu haklar Victims' Code (Mağdurlar için kurallar) adlı belgede yazılıdır. Polis, mahkemeler ve diğerleri bu hakları size sağlamak zorundadır.
right-1-title = Anlamak ve anlaşılmak
right-1-text = Anlamak ve anlaşılmak için yardım alabilirsiniz. Örneğin, tercüman isteyebilirsiniz.
right-2-title = Suçun kayda geçirilmesi
right-2-text = Polis suçu gecikmeden kayda geçirmek zorundadır.
right-3-title = Suçu bildirirken bilgi almak
right-3-text = Suçu bildirdiğinizi gösteren yazılı bir belge alırsınız. Bundan sonra neler olacağı hakkında bilgi de alırsınız.
right-4-title = Destek hizmetlerine yönlendirilmek
right-4-text = Destek hizmetleriyle bağlantı kurmanıza yardım edilebilir. İhtiyaçlarınız değerlendirilir.
right-5-title = Zarar ya da kayıp için para hakkında bilgi almak
right-5-text = Yaralandıysanız ya da bir şey kaybettiyseniz, nasıl para isteyebileceğiniz size anlatılır.
right-6-title = Dava hakkında bilgi almak
right-6-text = Dava ve önemli kararlar hakkında, nedenleriyle birlikte bilgi alırsınız.
right-7-title = Mağdur beyanı vermek
right-7-text = Suçun sizi nasıl etkilediğini anlatabilirsiniz. Mahkeme bunu dinleyebilir.
right-8-title = Duruşma hakkında bilgi almak
right-8-text = Duruşma tarihleri ve tanıksanız neler olacağı size bildirilir.
right-9-title = Sonucu ve itirazları öğrenmek
right-9-text = Mahkemenin kararı, verilen ceza ve yapılan itirazlar size bildirilir.
right-10-title = Masrafların ödenmesi ve eşyaların geri verilmesi
right-10-text = Mahkemeye gitme masraflarınızı isteyebilirsiniz. Kanıt olarak alınan eşyalarınız, mümkün olduğunda size geri verilir.
right-11-title = Suçlu hakkında bilgi almak
right-11-text = Suçlunun cezaevinde geçirdiği süre ve serbest bırakılması hakkında bilgi alabilirsiniz.
right-12-title = Şikâyet etmek
right-12-text = Bu hakları alamazsanız şikâyet edebilirsiniz.
enhanced-title = Bazı mağdurlar için ek yardım
enhanced-text = Bazı mağdurlar daha çok yardımı daha erken alır. Bunlar en ağır suçların mağdurlarıdır. Örneğin aile içi şiddet, nefret suçu ya da cinsel suç mağdurları. Çocuklar da bu gruba girer. Korunmaya ihtiyacı olan, korkan ya da tekrar tekrar hedef alınan kişiler de bu gruba girer.
enhanced-text-2 = Bu mağdurlara çoğu bilgiyi 5 iş günü yerine 1 iş günü içinde veririz.

## Şikâyet, yeniden inceleme ve tazminat

help-title = Şikâyet, yeniden inceleme ve para
complain-title = Memnun değilseniz
complain-text = Haklarınızı alamadıysanız şikâyet edebilirsiniz. Polis memuruna söyleyin ya da yardım hattını arayın. Şikâyetinizi aldığımızı 10 iş günü içinde size bildiririz.
complain-text-2 = Hâlâ memnun değilseniz, milletvekilinizden (MP) şikâyetinizi Parliamentary and Health Service Ombudsman (Parlamento ve Sağlık Hizmetleri Kamu Denetçisi) kurumuna iletmesini isteyebilirsiniz.
review-title = Yeniden inceleme istemek
review-text = Polis ya da bir avukat şüpheliyi suçlamama kararı verirse, bu kararın yeniden incelenmesini isteyebilirsiniz. Buna Victims' Right to Review (Mağdurun yeniden inceleme isteme hakkı) denir.
review-text-2 = Mümkün olduğunca erken isteyin. En iyisi 3 ay içinde istemektir.
money-title = Zarar ya da kayıp için para
money-text = Şiddet içeren bir suçta yaralandıysanız, Criminal Injuries Compensation Authority'den para alabilirsiniz. Bu kurum, suç nedeniyle yaralanan kişilere tazminat öder.
money-text-2 = 2 yıl içinde başvurmalısınız. Mahkeme de suçlunun size para ödemesine karar verebilir.

## Destek rehberi

support-title = Destek alın
support-intro = Bu hizmetler ücretsizdir. Çoğu, suçu bildirmemiş olsanız bile size yardım eder.
filter-heading = Doğru yardımı bulun
filter-crime = Ne oldu
filter-need = Ne tür yardıma ihtiyacınız var
filter-any = Hepsi
filter-button = Yardımı göster
filter-results = { $count ->
    [one] 1 hizmet
   *[other] { $count } hizmet
}
no-results = Uygun bir hizmet bulunamadı. "Hepsi" seçeneğini seçmeyi deneyin.
agency-phone = Telefon
agency-web = İnternet sitesi
agency-hours = Açık olduğu saatler
need-emotional = Konuşabileceğiniz biri
need-practical = Pratik yardım
need-court = Mahkeme konusunda yardım
need-safety = Güvende kalmak
need-health = Sağlık ve tıbbi bakım
need-money = Para ve barınma
need-legal = Hukuki danışmanlık
need-information = Suçlu hakkında bilgi
crime-all = Her tür suç
crime-violence = Şiddet
crime-domestic = Aile içi şiddet
crime-sexual = Cinsel şiddet
crime-stalking = Israrlı takip ya da taciz
crime-hate = Nefret suçu
crime-fraud = Dolandırıcılık
crime-bereaved = Biri hayatını kaybetti
crime-child = Bir çocuk zarar gördü
