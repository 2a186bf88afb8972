# Y negeseuon rydyn ni'n eu hanfon at ddioddefwyr drwy e-bost (ac yn nes ymlaen drwy neges destun a llythyr). Geiriau syml, byr.
# Mae'r pwnc yn dangos ar sgrin ffôn sydd wedi'i gloi, felly nid yw'n dweud dim am y drosedd.
# Rhaid i siaradwr Cymraeg eu gwirio cyn eu defnyddio'n fyw.

msg-subject = Neges am eich achos
msg-greeting = Helo,
msg-news = Mae yna newyddion am eich achos. Eich cyfeirnod trosedd yw { $reference }.
msg-review = Gallwch chi ofyn i ni edrych eto ar y penderfyniad hwn. Ffoniwch ni a gofynnwch am adolygiad.
msg-more = I weld mwy, agorwch y ddolen a roeson ni i chi. I siarad â rhywun, ffoniwch { $helpline }.
msg-support = I gael help a chefnogaeth, ewch i { $leaflet }
msg-emergency = Mewn argyfwng, ffoniwch 999.
msg-nominated = Rydych chi'n cael y neges hon oherwydd i chi gytuno i glywed am yr achos hwn ar ran rhywun arall.
msg-sign-off = Gofal Dioddefwyr
msg-update = Dyma ddiweddariad am eich achos. Eich cyfeirnod trosedd yw { $reference }.
msg-periodic = Does dim newyddion mawr. Mae'r heddlu'n dal i weithio ar eich achos. Byddwn ni'n dweud wrthych chi pan fydd rhywbeth yn digwydd.
msg-discreet = Mae yna ddiweddariad i chi. Agorwch y ddolen a roeson ni i chi i'w ddarllen, neu ffoniwch ni ar { $helpline }.
msg-discreet-subject = Diweddariad i chi
msg-sms = Achos { $reference }: { $news } Mwy: agorwch eich dolen neu ffoniwch { $helpline }.
msg-sms-periodic = Achos { $reference }: dim newyddion mawr. Mae'r heddlu'n dal i weithio arno. Mwy: agorwch eich dolen neu ffoniwch { $helpline }.
msg-survey-subject = Sut gwnaethon ni?
msg-survey = Dywedwch wrthym sut rydyn ni wedi gwneud hyd yma, os gwelwch yn dda. Agorwch y ddolen a roeson ni i chi a dewiswch “Dywedwch wrthym sut gwnaethon ni”. Mae'n cymryd tua 3 munud, a gallwch chi ateb heb roi eich enw. Does dim rhaid i chi ateb.
msg-sms-survey = Gofal Dioddefwyr: dywedwch wrthym sut gwnaethon ni. Agorwch y ddolen a roeson ni i chi a dewiswch “Dywedwch wrthym sut gwnaethon ni”. Does dim rhaid i chi ateb.
msg-panel-subject = Gwahoddiad i'n helpu i wella
msg-panel = Diolch am ymuno â'n panel dioddefwyr. Hoffen ni eich gwahodd i sesiwn. Agorwch y ddolen a roeson ni i chi i weld beth yw pwrpas y sesiwn, neu ffoniwch ni. Does dim rhaid i chi gymryd rhan.
msg-sms-panel = Gofal Dioddefwyr: diolch am ymuno â'n panel dioddefwyr. Hoffen ni eich gwahodd i sesiwn. Agorwch eich dolen neu ffoniwch { $helpline }. Does dim rhaid i chi gymryd rhan.
