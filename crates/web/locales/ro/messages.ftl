# Mesajele pe care le trimitem victimelor prin e-mail (și mai târziu prin SMS și prin scrisoare). Cuvinte simple, scurte.
# Subiectul apare pe ecranul telefonului blocat, așa că nu spune nimic despre infracțiune.
# Un vorbitor nativ de limba română trebuie să verifice textul înainte de a fi publicat.

msg-subject = Un mesaj despre cazul dumneavoastră
msg-greeting = Bună ziua,
msg-news = Avem vești despre cazul dumneavoastră. Numărul de referință al infracțiunii este { $reference }.
msg-review = Ne puteți cere să ne uităm din nou la această decizie. Sunați-ne și cereți o reanalizare.
msg-more = Ca să vedeți mai multe, deschideți linkul pe care vi l-am dat. Ca să vorbiți cu cineva, sunați la { $helpline }.
msg-support = Pentru ajutor și sprijin, intrați pe { $leaflet }
msg-emergency = În caz de urgență, sunați la 999.
msg-nominated = Primiți acest mesaj pentru că ați fost de acord să aflați vești despre acest caz în numele altei persoane.
msg-sign-off = Asistență pentru Victime
msg-update = Aceasta este o informare despre cazul dumneavoastră. Numărul de referință al infracțiunii este { $reference }.
msg-periodic = Nu sunt vești importante. Poliția lucrează în continuare la cazul dumneavoastră. Vă vom spune când se întâmplă ceva.
msg-discreet = Aveți o informare nouă. Deschideți linkul pe care vi l-am dat ca să o citiți sau sunați-ne la { $helpline }.
msg-discreet-subject = O informare pentru dumneavoastră
msg-sms = Caz { $reference }: { $news } Detalii: deschideți linkul sau sunați la { $helpline }.
msg-sms-periodic = Caz { $reference }: nu sunt vești importante. Poliția lucrează în continuare. Detalii: deschideți linkul sau sunați la { $helpline }.
msg-survey-subject = Cum ne-am descurcat?
msg-survey = Vă rugăm să ne spuneți cum ne-am descurcat până acum. Deschideți linkul pe care vi l-am dat și alegeți „Spuneți-ne cum ne-am descurcat”. Durează cam 3 minute și puteți răspunde fără să vă spuneți numele. Nu este obligatoriu să răspundeți.
msg-sms-survey = Asistență pentru Victime: vă rugăm să ne spuneți cum ne-am descurcat. Deschideți linkul pe care vi l-am dat și alegeți „Spuneți-ne cum ne-am descurcat”. Nu este obligatoriu să răspundeți.
msg-panel-subject = O invitație: ajutați-ne să lucrăm mai bine
msg-panel = Vă mulțumim că v-ați alăturat panelului nostru de victime. Am dori să vă invităm la o întâlnire. Deschideți linkul pe care vi l-am dat ca să vedeți despre ce este vorba sau sunați-ne. Nu este obligatoriu să participați.
msg-sms-panel = Asistență pentru Victime: vă mulțumim că v-ați alăturat panelului nostru de victime. Am dori să vă invităm la o întâlnire. Deschideți linkul sau sunați la { $helpline }. Nu este obligatoriu să participați.
