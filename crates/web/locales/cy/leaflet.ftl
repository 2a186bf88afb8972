# Y daflen wybodaeth ar-lein i ddioddefwyr. Iaith syml: brawddegau byr, geiriau cyffredin.
# Rhaid i siaradwr Cymraeg ei gwirio cyn ei defnyddio'n fyw.

## Ym mhobman

site-name = Help i ddioddefwyr trosedd
exit-page = Gadael y dudalen hon
exit-page-hint = Gadael y wefan hon yn gyflym. Gallwch hefyd bwyso'r fysell Shift dair gwaith.
shared-device = Os yw pobl eraill yn defnyddio'r ffôn neu'r cyfrifiadur hwn, efallai y byddan nhw'n gweld beth rydych chi'n ei ddarllen yma. Defnyddiwch ffenestr breifat os gallwch chi.
language-label = Iaith
leaflet-home = Gwybodaeth i ddioddefwyr
skip-link = Neidio i'r prif gynnwys
emergency = Mewn argyfwng, ffoniwch 999. Os na allwch chi siarad, ffoniwch 999 a phwyswch 55 pan ofynnir i chi.
print-hint = Gallwch argraffu'r dudalen hon.

## Tudalen gyntaf

leaflet-title = Beth sy'n digwydd ar ôl i chi roi gwybod am drosedd
leaflet-intro = Rydych chi wedi rhoi gwybod am drosedd. Mae'r dudalen hon yn dweud beth fydd yn digwydd nesaf, beth yw eich hawliau, a phwy all eich helpu.
leaflet-intro-2 = Does dim rhaid i chi ddarllen y cyfan ar unwaith. Dewch yn ôl ati pan fyddwch chi'n barod.
journey-heading = Eich taith, gam wrth gam
rights-link = Eich 12 hawl
rights-link-text = Beth mae'n rhaid i'r heddlu, y llysoedd ac eraill ei wneud i chi.
help-link = Cwynion, adolygiadau ac arian
help-link-text = Beth i'w wneud os nad ydych chi'n hapus, a sut i hawlio arian am niwed neu golled.
support-link = Cael cefnogaeth
support-link-text = Help am ddim gan bobl sy'n deall beth rydych chi'n mynd drwyddo.
not-your-fault = Nid eich bai chi yw'r hyn a ddigwyddodd i chi. Does dim rhaid i chi ymdopi ar eich pen eich hun.

## Y daith: un dudalen ar gyfer pob cam

step-label = Cam { $number } o { $total }
what-happens = Beth sy'n digwydd
what-we-tell-you = Beth byddwn ni'n ei ddweud wrthych chi
who-can-help = Pwy all helpu
previous-step = Yn ôl: { $title }
next-step = Nesaf: { $title }

report-title = Rydych chi'n rhoi gwybod am y drosedd
report-summary = Rydych chi'n dweud wrth yr heddlu beth ddigwyddodd.
report-happens = Mae'r heddlu'n ysgrifennu beth ddigwyddodd. Maen nhw'n rhoi rhif cyfeirnod trosedd i chi. Cadwch ef yn ddiogel. Bydd ei angen arnoch pan fyddwch chi'n ein ffonio.
report-told-1 = Eich rhif cyfeirnod trosedd, yn ysgrifenedig.
report-told-2 = Enw'r swyddog sy'n gofalu am eich achos, a sut i gysylltu ag ef.
report-told-3 = Pa mor aml byddwn ni'n rhoi'r newyddion diweddaraf i chi, a sut. Chi sy'n dewis.
report-told-4 = Ble i gael cefnogaeth am ddim. Byddwn ni'n anfon eich manylion ymlaen o fewn 2 ddiwrnod gwaith os ydych chi'n cytuno.
report-help = Gallwch ofyn am help nawr. Does dim rhaid i chi aros.

investigation-title = Mae'r heddlu'n ymchwilio
investigation-summary = Mae'r heddlu'n ceisio darganfod pwy wnaeth hyn.
investigation-happens = Mae'r heddlu'n chwilio am dystiolaeth. Efallai y byddan nhw'n siarad â phobl a welodd beth ddigwyddodd. Efallai y byddan nhw'n arestio rhywun.
investigation-happens-2 = Weithiau, ni all yr heddlu fynd ag achos ymhellach. Os felly, byddan nhw'n dweud wrthych pam.
investigation-told-1 = Os caiff rhywun ei arestio neu ei holi.
investigation-told-2 = Os caiff rhywun a amheuir ei ryddhau, ac unrhyw reolau y mae'n rhaid iddo eu dilyn i'ch cadw'n ddiogel.
investigation-told-3 = Os yw'r heddlu'n rhoi'r gorau i ymchwilio i'r drosedd, a pham.
investigation-told-4 = Newyddion o leiaf bob 28 diwrnod, neu mor aml ag y cytunwyd.
investigation-help = Os ydych chi'n teimlo'n anniogel, ffoniwch 999. Am newyddion am eich achos, ffoniwch y llinell gymorth.

charge-title = Y penderfyniad i gyhuddo
charge-summary = Mae'r heddlu neu gyfreithiwr yn penderfynu a ddylai'r un a amheuir fynd i'r llys.
charge-happens = Mae cyhuddiad yn golygu bod yr un a amheuir yn cael ei gyhuddo o'r drosedd yn y llys. Yr heddlu sy'n penderfynu ar gyfer rhai troseddau. Ar gyfer eraill, cyfreithiwr o Wasanaeth Erlyn y Goron sy'n penderfynu.
charge-told-1 = Os caiff yr un a amheuir ei gyhuddo, a phryd mae'n rhaid iddo fynd i'r llys.
charge-told-2 = Os na chaiff yr un a amheuir ei gyhuddo, a pham.
charge-told-3 = Y gallwch chi ofyn i'r dewis hwnnw gael ei ystyried eto.
charge-help = Os nad ydych chi'n cytuno â dewis i beidio â chyhuddo, gallwch ofyn am adolygiad.

pretrial-title = Cyn y treial
pretrial-summary = Rydych chi'n paratoi ar gyfer y llys, gyda help.
pretrial-happens = Ar ôl cyhuddiad, yr Uned Gofal Tystion yw eich prif gyswllt. Maen nhw'n dweud wrthych am ddyddiadau llys. Maen nhw'n dweud wrthych a oes angen i chi roi tystiolaeth.
pretrial-happens-2 = Os ydych chi'n dyst, gallwch ymweld â'r llys cyn y treial. Gallwch ofyn am help i roi tystiolaeth, fel sgrin fel nad ydych chi'n gweld yr un a amheuir.
pretrial-told-1 = Dyddiad pob gwrandawiad llys, ac unrhyw newid iddo.
pretrial-told-2 = A yw'r un a amheuir yn pledio'n euog neu'n ddieuog.
pretrial-told-3 = A oes angen i chi roi tystiolaeth.
pretrial-help = Gall y Gwasanaeth Tystion eich helpu cyn y diwrnod ac ar y diwrnod. Mae am ddim.

trial-title = Y treial
trial-summary = Mae'r llys yn gwrando ar yr achos.
trial-happens = Mae'r llys yn gwrando ar y dystiolaeth. Efallai y gallwch aros mewn ystafell ar wahân, i ffwrdd o'r un a amheuir. Gall gwirfoddolwr o'r Gwasanaeth Tystion aros gyda chi.
trial-happens-2 = Gall treialon gael eu gohirio. Os bydd hyn yn digwydd, byddwn ni'n dweud wrthych pam.
trial-told-1 = Beth sy'n digwydd ar y diwrnod, a ble i fynd.
trial-told-2 = Unrhyw oedi, a'r rheswm amdano.
trial-help = Gofynnwch i'r Uned Gofal Tystion am gostau teithio. Gallwch eu hawlio yn ôl.

sentencing-title = Y dyfarniad a'r ddedfryd
sentencing-summary = Mae'r llys yn penderfynu a yw'r un a amheuir yn euog, a'r gosb.
sentencing-happens = Os ceir y person yn euog, mae'r barnwr yn penderfynu ar ddedfryd. Cyn hyn, gall y llys glywed eich datganiad personol fel dioddefwr. Mae hwn yn dweud sut mae'r drosedd wedi newid eich bywyd.
sentencing-told-1 = Y dyfarniad, o fewn 1 diwrnod gwaith i ni glywed amdano.
sentencing-told-2 = Y ddedfryd, a beth mae'n ei olygu.
sentencing-help = Gallwch ysgrifennu datganiad personol fel dioddefwr ar unrhyw adeg cyn y ddedfryd.

after-title = Ar ôl y ddedfryd
after-summary = Beth sy'n digwydd nesaf, a ble i gael newyddion.
after-happens = Efallai y bydd y person a gafwyd yn euog yn apelio. Os yw'n mynd i'r carchar am amser hir, efallai y gallwch ymuno â'r Cynllun Cyswllt â Dioddefwyr. Mae'n dweud wrthych am ei ryddhau.
after-told-1 = Unrhyw apêl, a beth sy'n digwydd iddi.
after-told-2 = A allwch chi ymuno â'r Cynllun Cyswllt â Dioddefwyr, a sut.
after-help = Mae cefnogaeth yno o hyd ar ôl i'r achos ddod i ben. Gallwch ofyn amdani unrhyw bryd.

## Hawliau

rights-title = Eich 12 hawl
rights-intro = Daw'r hawliau hyn o God y Dioddefwyr. Mae'n rhaid i'r heddlu, y llysoedd ac eraill eu rhoi i chi.
right-1-title = Deall a chael eich deall
right-1-text = Gallwch gael help i ddeall ac i gael eich deall, fel cyfieithydd.
right-2-title = Cofnodi'r drosedd
right-2-text = Mae'n rhaid i'r heddlu ysgrifennu'r drosedd heb oedi.
right-3-title = Cael gwybodaeth pan fyddwch chi'n rhoi gwybod
right-3-text = Byddwch chi'n cael cadarnhad ysgrifenedig o'r drosedd, a gwybodaeth am beth sy'n digwydd nesaf.
right-4-title = Cael eich cyfeirio at gefnogaeth
right-4-text = Gallwch gael eich rhoi mewn cysylltiad â gwasanaethau cefnogi. Bydd eich anghenion yn cael eu gwirio.
right-5-title = Gwybodaeth am arian am niwed neu golled
right-5-text = Byddwch chi'n cael gwybod sut i hawlio arian os cawsoch eich anafu neu os colloch chi rywbeth.
right-6-title = Newyddion am yr achos
right-6-text = Byddwch chi'n cael gwybod am yr achos ac am ddewisiadau pwysig, gyda'r rhesymau.
right-7-title = Gwneud datganiad personol fel dioddefwr
right-7-text = Gallwch ddweud sut mae'r drosedd wedi effeithio arnoch chi. Gall y llys ei glywed.
right-8-title = Gwybodaeth am y treial
right-8-text = Byddwch chi'n cael gwybod am ddyddiadau llys a beth fydd yn digwydd os ydych chi'n dyst.
right-9-title = Y canlyniad ac unrhyw apêl
right-9-text = Byddwch chi'n cael gwybod y dyfarniad, y ddedfryd ac unrhyw apêl.
right-10-title = Cael costau wedi'u talu a phethau wedi'u dychwelyd
right-10-text = Gallwch hawlio costau am fynd i'r llys. Bydd pethau a gymerwyd fel tystiolaeth yn cael eu rhoi'n ôl pan fo hynny'n bosibl.
right-11-title = Newyddion am y troseddwr
right-11-text = Efallai y cewch wybod am amser y troseddwr yn y carchar a'i ryddhau.
right-12-title = Cwyno
right-12-text = Gallwch gwyno os nad ydych chi'n cael yr hawliau hyn.
enhanced-title = Help ychwanegol i rai dioddefwyr
enhanced-text = Mae rhai dioddefwyr yn cael mwy o help, yn gynt. Mae hyn yn cynnwys dioddefwyr y troseddau mwyaf difrifol, fel cam-drin domestig, trosedd casineb neu drosedd rywiol. Mae hefyd yn cynnwys plant, a phobl sy'n agored i niwed, yn ofnus neu'n cael eu targedu dro ar ôl tro.
enhanced-text-2 = I'r dioddefwyr hyn, rydyn ni'n rhoi'r rhan fwyaf o'r newyddion o fewn 1 diwrnod gwaith yn lle 5.

## Cwynion, adolygiadau ac iawndal

help-title = Cwynion, adolygiadau ac arian
complain-title = Os nad ydych chi'n hapus
complain-text = Gallwch gwyno os na chawsoch eich hawliau. Dywedwch wrth y swyddog neu ffoniwch y llinell gymorth. Byddwn ni'n dweud wrthych fod eich cwyn gennym o fewn 10 diwrnod gwaith.
complain-text-2 = Os nad ydych chi'n hapus o hyd, gallwch ofyn i'ch AS fynd â hi at yr Ombwdsmon Seneddol a Gwasanaeth Iechyd.
review-title = Gofyn am adolygiad
review-text = Os yw'r heddlu neu gyfreithiwr yn penderfynu peidio â chyhuddo'r un a amheuir, gallwch ofyn i'r dewis hwnnw gael ei ystyried eto. Hawl Dioddefwyr i Adolygiad yw'r enw ar hyn.
review-text-2 = Gofynnwch cyn gynted ag y gallwch. Mae'n well gofyn o fewn 3 mis.
money-title = Arian am niwed neu golled
money-text = Os cawsoch eich anafu mewn trosedd dreisgar, efallai y gallwch gael arian gan yr Awdurdod Digolledu am Anafiadau Troseddol.
money-text-2 = Dylech wneud cais o fewn 2 flynedd. Gall y llys hefyd ddweud wrth y troseddwr am eich talu.

## Cyfeiriadur cefnogaeth

support-title = Cael cefnogaeth
support-intro = Mae'r gwasanaethau hyn am ddim. Bydd y rhan fwyaf yn eich helpu hyd yn oed os nad ydych chi wedi rhoi gwybod am y drosedd.
filter-heading = Dod o hyd i'r help iawn
filter-crime = Beth ddigwyddodd
filter-need = Pa help sydd ei angen arnoch
filter-any = Unrhyw
filter-button = Dangos help
filter-results = { $count ->
    [one] 1 gwasanaeth
   *[other] { $count } gwasanaeth
}
no-results = Does dim gwasanaeth yn cyfateb. Rhowch gynnig ar ddewis "Unrhyw".
agency-phone = Ffôn
agency-web = Gwefan
agency-hours = Ar agor
need-emotional = Rhywun i siarad ag ef
need-practical = Help ymarferol
need-court = Help gyda'r llys
need-safety = Cadw'n ddiogel
need-health = Iechyd a gofal meddygol
need-money = Arian a thai
need-legal = Cyngor cyfreithiol
need-information = Newyddion am y troseddwr
crime-all = Unrhyw drosedd
crime-violence = Trais
crime-domestic = Cam-drin domestig
crime-sexual = Trais rhywiol
crime-stalking = Stelcian neu aflonyddu
crime-hate = Trosedd casineb
crime-fraud = Twyll
crime-bereaved = Bu farw rhywun
crime-child = Cafodd plentyn ei niweidio
