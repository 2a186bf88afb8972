# Mağdurlara e-postayla (ve ileride kısa mesaj ve mektupla) gönderdiğimiz mesajlar. Sade, kısa kelimeler.
# Konu satırı kilitli bir telefonun ekranında görünür, bu yüzden suç hakkında hiçbir şey söylemez.
# Bu metin yayına girmeden önce anadili Türkçe olan biri tarafından kontrol edilmelidir.

msg-subject = Dosyanızla ilgili bir mesaj
msg-greeting = Merhaba,
msg-news = Dosyanızla ilgili yeni bir gelişme var. Suç referans numaranız: { $reference }.
msg-review = Bu kararı yeniden incelememizi isteyebilirsiniz. Bizi arayın ve yeniden inceleme isteyin.
msg-more = Daha fazlasını görmek için size verdiğimiz bağlantıyı açın. Biriyle konuşmak için { $helpline } numarasını arayın.
msg-support = Yardım ve destek için şu adrese bakın: { $leaflet }
msg-emergency = Acil bir durumda 999'u arayın.
msg-nominated = Bu mesajı, bu dosyayla ilgili haberleri başka biri adına almayı kabul ettiğiniz için alıyorsunuz.
msg-sign-off = Mağdur Hizmetleri
msg-update = Bu, dosyanızla ilgili bir bilgilendirmedir. Suç referans numaranız: { $reference }.
msg-periodic = Önemli bir gelişme yok. Polis dosyanız üzerinde çalışmaya devam ediyor. Bir şey olduğunda size haber vereceğiz.
msg-discreet = Sizin için yeni bir bilgi var. Okumak için size verdiğimiz bağlantıyı açın ya da bizi { $helpline } numarasından arayın.
msg-discreet-subject = Sizin için bir bilgilendirme
msg-sms = Dosya { $reference }: { $news } Ayrıntı: bağlantınızı açın ya da { $helpline } arayın.
msg-sms-periodic = Dosya { $reference }: önemli bir gelişme yok. Polis çalışmaya devam ediyor. Ayrıntı: bağlantınızı açın ya da { $helpline } arayın.
msg-survey-subject = Hizmetimizi nasıl buldunuz?
msg-survey = Lütfen şimdiye kadarki hizmetimizi nasıl bulduğunuzu bize söyleyin. Size verdiğimiz bağlantıyı açın ve “Hizmetimizi nasıl bulduğunuzu bize söyleyin” seçeneğini seçin. Yaklaşık 3 dakika sürer. Adınızı vermeden cevap verebilirsiniz. Cevap vermek zorunda değilsiniz.
msg-sms-survey = Mağdur Hizmetleri: lütfen hizmetimizi nasıl bulduğunuzu bize söyleyin. Size verdiğimiz bağlantıyı açın ve “Hizmetimizi nasıl bulduğunuzu bize söyleyin” seçeneğini seçin. Cevap vermek zorunda değilsiniz.
msg-panel-subject = Bir davet: daha iyi olmamıza yardım edin
msg-panel = Mağdur görüş grubumuza katıldığınız için teşekkür ederiz. Sizi bir toplantıya davet etmek istiyoruz. Toplantının neyle ilgili olduğunu görmek için size verdiğimiz bağlantıyı açın ya da bizi arayın. Katılmak zorunda değilsiniz.
msg-sms-panel = Mağdur Hizmetleri: mağdur görüş grubumuza katıldığınız için teşekkür ederiz. Sizi bir toplantıya davet etmek istiyoruz. Bağlantınızı açın ya da { $helpline } arayın. Katılmak zorunda değilsiniz.
