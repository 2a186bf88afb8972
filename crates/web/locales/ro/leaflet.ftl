# Broșura online cu informații pentru victime. Scrisă pentru un nivel de citire de aproximativ 9–11 ani: propoziții
# scurte, cuvinte obișnuite. Un test verifică scorul Flesch de ușurință a citirii pentru fiecare text în engleză de aici.
# Un vorbitor nativ de limba română trebuie să verifice textul înainte de a fi publicat.

## Peste tot

site-name = Ajutor pentru victimele infracțiunilor
exit-page = Ieșiți de pe această pagină
exit-page-hint = Părăsiți repede acest site. Puteți apăsa și tasta Shift de trei ori.
shared-device = Dacă alte persoane folosesc acest telefon sau calculator, pot vedea ce citiți aici. Folosiți o fereastră privată, dacă puteți.
language-label = Limba
leaflet-home = Informații pentru victime
skip-link = Treceți la conținutul principal
emergency = În caz de urgență, sunați la 999. Dacă nu puteți vorbi, sunați la 999 și apăsați 55 când vi se cere.
print-hint = Puteți tipări această pagină.

## Pagina de start

leaflet-title = Ce se întâmplă după ce raportați o infracțiune
leaflet-intro = Ați raportat o infracțiune. Această pagină vă spune ce se va întâmpla în continuare, la ce aveți dreptul și cine vă poate ajuta.
leaflet-intro-2 = Nu trebuie să citiți totul deodată. Reveniți la ea când sunteți gata.
journey-heading = Drumul dumneavoastră, pas cu pas
rights-link = Cele 12 drepturi ale dumneavoastră
rights-link-text = Ce trebuie să facă pentru dumneavoastră poliția, instanțele și alții.
help-link = Plângeri, reanalizări și bani
help-link-text = Ce puteți face dacă ceva nu vă mulțumește și cum puteți cere bani pentru răul suferit sau pentru pierderi.
support-link = Obțineți sprijin
support-link-text = Ajutor gratuit de la oameni care înțeleg prin ce treceți.
not-your-fault = Ce vi s-a întâmplat nu este vina dumneavoastră. Nu trebuie să treceți prin asta fără ajutor.

## Drumul: câte o pagină pentru fiecare pas

step-label = Pasul { $number } din { $total }
what-happens = Ce se întâmplă
what-we-tell-you = Ce vă vom spune
who-can-help = Cine vă poate ajuta
previous-step = Înapoi: { $title }
next-step = Pasul următor: { $title }

report-title = Raportați infracțiunea
report-summary = Îi spuneți poliției ce s-a întâmplat.
report-happens = Poliția notează ce s-a întâmplat. Vă dă un număr de referință al infracțiunii. Păstrați-l bine. Veți avea nevoie de el când ne sunați.
report-told-1 = Numărul de referință al infracțiunii, în scris.
report-told-2 = Numele polițistului care se ocupă de cazul dumneavoastră și cum îl puteți contacta.
report-told-3 = Cât de des vă vom da vești și în ce fel. Puteți alege.
report-told-4 = Unde puteți primi sprijin gratuit. Dacă sunteți de acord, vom trimite datele dumneavoastră mai departe în cel mult 2 zile lucrătoare.
report-help = Puteți cere ajutor acum. Nu trebuie să așteptați.

investigation-title = Poliția cercetează cazul
investigation-summary = Poliția încearcă să afle cine a făcut asta.
investigation-happens = Poliția caută dovezi. Poate vorbi cu oamenii care au văzut ce s-a întâmplat. Poate aresta pe cineva.
investigation-happens-2 = Uneori poliția nu poate merge mai departe cu un caz. Atunci vă va spune de ce.
investigation-told-1 = Dacă cineva este arestat sau interogat.
investigation-told-2 = Dacă un suspect este lăsat liber și ce reguli trebuie să respecte, ca dumneavoastră să fiți în siguranță.
investigation-told-3 = Dacă poliția nu mai cercetează infracțiunea și de ce.
investigation-told-4 = Vești cel puțin o dată la 28 de zile sau cât de des ați stabilit împreună.
investigation-help = Dacă nu vă simțiți în siguranță, sunați la 999. Pentru vești despre cazul dumneavoastră, sunați la linia de ajutor.

charge-title = Decizia de acuzare
charge-summary = Poliția sau un procuror decide dacă suspectul trebuie să ajungă în instanță.
charge-happens = Dacă suspectul este acuzat, va răspunde pentru infracțiune în fața instanței. Pentru unele infracțiuni decide poliția. Pentru altele decide un procuror de la Crown Prosecution Service (serviciul de procurori).
charge-told-1 = Dacă suspectul este acuzat și când trebuie să se prezinte în instanță.
charge-told-2 = Dacă suspectul nu va fi acuzat și de ce.
charge-told-3 = Că puteți cere ca această decizie să fie analizată din nou.
charge-help = Dacă nu sunteți de acord cu decizia de a nu-l acuza pe suspect, puteți cere o reanalizare.

pretrial-title = Înainte de proces
pretrial-summary = Vă pregătiți pentru instanță și primiți ajutor.
pretrial-happens = După acuzare, Witness Care Unit (serviciul de sprijin pentru martori) este principalul dumneavoastră contact. Vă spune când au loc ședințele de judecată. Vă spune dacă trebuie să depuneți mărturie.
pretrial-happens-2 = Dacă sunteți martor, puteți vizita instanța înainte de proces. Puteți cere ajutor ca să depuneți mărturie, de exemplu un paravan, ca să nu-l vedeți pe suspect.
pretrial-told-1 = Data fiecărei ședințe de judecată și orice schimbare a ei.
pretrial-told-2 = Dacă suspectul își recunoaște vina sau nu.
pretrial-told-3 = Dacă trebuie să depuneți mărturie.
pretrial-help = Witness Service (serviciul pentru martori) vă poate ajuta înainte de proces și în ziua procesului. Este gratuit.

trial-title = Procesul
trial-summary = Instanța judecă cazul.
trial-happens = Instanța ascultă dovezile. Puteți aștepta într-o cameră separată, departe de suspect. Un voluntar de la Witness Service poate sta cu dumneavoastră.
trial-happens-2 = Procesele pot fi amânate. Dacă se întâmplă asta, vă vom spune de ce.
trial-told-1 = Ce se întâmplă în ziua procesului și unde trebuie să mergeți.
trial-told-2 = Orice amânare și motivul ei.
trial-help = Întrebați Witness Care Unit despre costurile de transport. Puteți primi banii înapoi.

sentencing-title = Verdictul și pedeapsa
sentencing-summary = Instanța decide dacă suspectul este vinovat și ce pedeapsă primește.
sentencing-happens = Dacă persoana este găsită vinovată, judecătorul decide pedeapsa. Înainte de asta, instanța poate asculta declarația personală a victimei (victim personal statement). În ea spuneți cum v-a schimbat viața infracțiunea.
sentencing-told-1 = Verdictul, în cel mult 1 zi lucrătoare după ce îl aflăm noi.
sentencing-told-2 = Pedeapsa și ce înseamnă ea.
sentencing-help = Puteți scrie o declarație personală a victimei oricând înainte de stabilirea pedepsei.

after-title = După stabilirea pedepsei
after-summary = Ce urmează și de unde puteți afla vești.
after-happens = Persoana găsită vinovată poate face apel. Dacă merge la închisoare pentru mult timp, puteți intra în Victim Contact Scheme (programul de contact pentru victime). Prin acest program aflați când va fi eliberată persoana.
after-told-1 = Orice apel și ce se întâmplă cu el.
after-told-2 = Dacă puteți intra în Victim Contact Scheme și cum.
after-help = Sprijinul rămâne și după ce se termină cazul. Îl puteți cere oricând.

## Drepturi

rights-title = Cele 12 drepturi ale dumneavoastră
rights-intro = Aceste drepturi vin din Victims' Code (Codul victimelor). Poliția, instanțele și alții trebuie să vi le asigure.
right-1-title = Dreptul de a înțelege și de a fi înțeles
right-1-text = Puteți primi ajutor ca să înțelegeți și ca alții să vă înțeleagă, de exemplu un interpret.
right-2-title = Dreptul ca infracțiunea să fie înregistrată
right-2-text = Poliția trebuie să înregistreze infracțiunea fără întârziere.
right-3-title = Dreptul la informații când raportați
right-3-text = Veți primi o confirmare scrisă a infracțiunii și informații despre ce urmează.
right-4-title = Dreptul de a fi îndrumat spre sprijin
right-4-text = Vă putem pune în legătură cu servicii de sprijin. Vom afla de ce aveți nevoie.
right-5-title = Dreptul la informații despre bani pentru răul suferit sau pierderi
right-5-text = Vi se va spune cum puteți cere bani dacă ați suferit răni sau ați pierdut ceva.
right-6-title = Dreptul la vești despre caz
right-6-text = Veți afla ce se întâmplă cu cazul și care sunt deciziile importante, împreună cu motivele lor.
right-7-title = Dreptul de a face o declarație personală a victimei
right-7-text = Puteți spune cum v-a afectat infracțiunea. Instanța o poate asculta.
right-8-title = Dreptul la informații despre proces
right-8-text = Veți afla datele ședințelor de judecată și ce se va întâmpla dacă sunteți martor.
right-9-title = Dreptul de a afla rezultatul și orice apel
right-9-text = Veți afla verdictul, pedeapsa și orice apel.
right-10-title = Dreptul la plata cheltuielilor și la returnarea lucrurilor
right-10-text = Puteți cere banii cheltuiți ca să mergeți la instanță. Lucrurile luate ca dovezi vă vor fi date înapoi când este posibil.
right-11-title = Dreptul la vești despre infractor
right-11-text = Puteți afla vești despre timpul petrecut de infractor în închisoare și despre eliberarea sa.
right-12-title = Dreptul de a face plângere
right-12-text = Puteți face plângere dacă nu vi se respectă aceste drepturi.
enhanced-title = Ajutor în plus pentru unele victime
enhanced-text = Unele victime primesc mai mult ajutor, mai repede. Printre ele sunt victimele celor mai grave infracțiuni, de exemplu violența domestică, infracțiunile motivate de ură sau infracțiunile sexuale. Tot aici intră copiii și persoanele vulnerabile, speriate sau atacate iar și iar.
enhanced-text-2 = Acestor victime le dăm cele mai multe vești în cel mult 1 zi lucrătoare, nu în 5.

## Plângeri, reanalizări și despăgubiri

help-title = Plângeri, reanalizări și bani
complain-title = Dacă ceva nu vă mulțumește
complain-text = Puteți face plângere dacă nu vi s-au respectat drepturile. Spuneți-i polițistului sau sunați la linia de ajutor. În cel mult 10 zile lucrătoare vă vom spune că am primit plângerea.
complain-text-2 = Dacă problema tot nu se rezolvă, îi puteți cere deputatului din zona dumneavoastră (MP) să o trimită la Parliamentary and Health Service Ombudsman (un fel de avocat al poporului).
review-title = Cum cereți o reanalizare
review-text = Dacă poliția sau un procuror decide să nu-l acuze pe suspect, puteți cere ca această decizie să fie analizată din nou. Acest lucru se numește Victims' Right to Review (dreptul victimei la reanalizare).
review-text-2 = Cereți cât mai repede. Cel mai bine este să cereți în cel mult 3 luni.
money-title = Bani pentru răul suferit sau pierderi
money-text = Dacă ați suferit răni într-o infracțiune violentă, puteți primi bani de la Criminal Injuries Compensation Authority (autoritatea care plătește despăgubiri victimelor).
money-text-2 = Faceți cererea în cel mult 2 ani. Instanța îi poate cere și infractorului să vă plătească.

## Lista serviciilor de sprijin

support-title = Obțineți sprijin
support-intro = Aceste servicii sunt gratuite. Cele mai multe vă ajută chiar dacă nu ați raportat infracțiunea.
filter-heading = Găsiți ajutorul potrivit
filter-crime = Ce s-a întâmplat
filter-need = De ce ajutor aveți nevoie
filter-any = Oricare
filter-button = Arătați ajutorul
filter-results = { $count ->
    [one] 1 serviciu
    [few] { $count } servicii
   *[other] { $count } de servicii
}
no-results = Niciun serviciu nu se potrivește. Încercați să alegeți „Oricare”.
agency-phone = Telefon
agency-web = Site web
agency-hours = Program
need-emotional = Cineva cu care să vorbiți
need-practical = Ajutor practic
need-court = Ajutor pentru instanță
need-safety = Siguranța dumneavoastră
need-health = Sănătate și îngrijire medicală
need-money = Bani și locuință
need-legal = Sfaturi juridice
need-information = Vești despre infractor
crime-all = Orice infracțiune
crime-violence = Violență
crime-domestic = Violență domestică
crime-sexual = Violență sexuală
crime-stalking = Urmărire sau hărțuire
crime-hate = Infracțiune motivată de ură
crime-fraud = Fraudă
crime-bereaved = A murit cineva
crime-child = Un copil a fost vătămat
