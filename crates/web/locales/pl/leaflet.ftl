# Internetowa ulotka informacyjna dla ofiar przestępstw. Napisana dla czytelników w wieku około 9–11 lat: krótkie
# zdania, proste słowa. Test sprawdza wskaźnik czytelności Flescha każdego angielskiego tekstu.
# Przed publikacją tekst musi sprawdzić osoba, dla której polski jest językiem ojczystym.

## Wszędzie

site-name = Pomoc dla ofiar przestępstw
exit-page = Wyjdź z tej strony
exit-page-hint = Szybko opuść tę stronę. Możesz też nacisnąć klawisz Shift trzy razy.
shared-device = Jeśli inne osoby używają tego telefonu lub komputera, mogą zobaczyć, co tu czytasz. Jeśli możesz, użyj okna prywatnego.
language-label = Język
leaflet-home = Informacje dla ofiar
skip-link = Przejdź do głównej treści
emergency = W nagłej sytuacji zadzwoń pod 999. Jeśli nie możesz mówić, zadzwoń pod 999 i naciśnij 55, gdy usłyszysz taką prośbę.
print-hint = Możesz wydrukować tę stronę.

## Strona startowa

leaflet-title = Co się dzieje po zgłoszeniu przestępstwa
leaflet-intro = Przestępstwo zostało zgłoszone. Na tej stronie przeczytasz, co będzie dalej, do czego masz prawo i kto może Ci pomóc.
leaflet-intro-2 = Nie musisz czytać wszystkiego naraz. Wróć tu, kiedy poczujesz się na siłach.
journey-heading = Twoja droga krok po kroku
rights-link = 12 Twoich praw
rights-link-text = Co policja, sądy i inne instytucje muszą dla Ciebie zrobić.
help-link = Skargi, odwołania i pieniądze
help-link-text = Co zrobić, jeśli coś Ci się nie podoba, i jak ubiegać się o pieniądze za krzywdę lub stratę.
support-link = Uzyskaj wsparcie
support-link-text = Bezpłatna pomoc od osób, które rozumieją, przez co przechodzisz.
not-your-fault = To, co Ci się stało, nie jest Twoją winą. Nie musisz radzić sobie z tym bez pomocy.

## Droga: jedna strona na każdy krok

step-label = Krok { $number } z { $total }
what-happens = Co się dzieje
what-we-tell-you = Co Ci powiemy
who-can-help = Kto może pomóc
previous-step = Wstecz: { $title }
next-step = Dalej: { $title }

report-title = Zgłaszasz przestępstwo
report-summary = Mówisz policji, co się stało.
report-happens = Policja zapisuje, co się stało. Dostajesz numer referencyjny sprawy (crime reference number). Przechowuj go w bezpiecznym miejscu. Będzie potrzebny, gdy do nas zadzwonisz.
report-told-1 = Twój numer referencyjny sprawy, na piśmie.
report-told-2 = Imię i nazwisko policjanta, który prowadzi Twoją sprawę, i jak się z nim skontaktować.
report-told-3 = Jak często i w jaki sposób będziemy przekazywać Ci informacje. Możesz to wybrać.
report-told-4 = Gdzie szukać bezpłatnego wsparcia. Jeśli się zgodzisz, przekażemy dalej Twoje dane w ciągu 2 dni roboczych.
report-help = Możesz poprosić o pomoc już teraz. Nie musisz czekać.

investigation-title = Policja wyjaśnia sprawę
investigation-summary = Policja próbuje ustalić, kto to zrobił.
investigation-happens = Policja szuka dowodów. Może rozmawiać z osobami, które widziały, co się stało. Może kogoś zatrzymać.
investigation-happens-2 = Czasem policja nie może dalej prowadzić sprawy. Wtedy powie Ci, dlaczego.
investigation-told-1 = Czy ktoś został zatrzymany lub przesłuchany.
investigation-told-2 = Czy podejrzany został zwolniony i jakich zasad musi przestrzegać dla Twojego bezpieczeństwa.
investigation-told-3 = Czy policja przestaje wyjaśniać sprawę i dlaczego.
investigation-told-4 = Nowe informacje co najmniej raz na 28 dni albo tak często, jak się umówiliśmy.
investigation-help = Jeśli nie czujesz się bezpiecznie, zadzwoń pod 999. Aby dowiedzieć się czegoś o swojej sprawie, zadzwoń na infolinię.

charge-title = Decyzja o postawieniu zarzutów
charge-summary = Policja lub prawnik decyduje, czy podejrzany ma stanąć przed sądem.
charge-happens = Postawienie zarzutów oznacza, że podejrzany zostaje oskarżony o przestępstwo przed sądem. Przy niektórych przestępstwach decyduje policja. Przy innych decyduje prawnik z Crown Prosecution Service.
charge-told-1 = Czy podejrzany usłyszał zarzuty i kiedy musi stawić się w sądzie.
charge-told-2 = Jeśli podejrzany nie usłyszy zarzutów, powiemy Ci dlaczego.
charge-told-3 = Że możesz poprosić o ponowne rozpatrzenie tej decyzji.
charge-help = Jeśli nie zgadzasz się z decyzją, że podejrzany nie usłyszy zarzutów, możesz poprosić o jej ponowne rozpatrzenie.

pretrial-title = Przed rozprawą
pretrial-summary = Przygotowujesz się do sądu, a inni Ci w tym pomagają.
pretrial-happens = Po postawieniu zarzutów Twoim głównym kontaktem jest Witness Care Unit. Informuje Cię o terminach rozpraw w sądzie. Mówi Ci, czy musisz zeznawać.
pretrial-happens-2 = Jeśli jesteś świadkiem, możesz odwiedzić sąd przed rozprawą. Możesz poprosić o pomoc przy składaniu zeznań, na przykład o parawan, aby nie widzieć podejrzanego.
pretrial-told-1 = Termin każdej rozprawy w sądzie i każda jego zmiana.
pretrial-told-2 = Czy podejrzany przyznaje się do winy, czy nie.
pretrial-told-3 = Czy musisz zeznawać.
pretrial-help = Witness Service może Ci pomóc przed rozprawą i w dniu rozprawy. Ta pomoc jest bezpłatna.

trial-title = Rozprawa
trial-summary = Sąd rozpatruje sprawę.
trial-happens = Sąd poznaje dowody. Możesz czekać w osobnym pokoju, z dala od podejrzanego. Wolontariusz z Witness Service może z Tobą zostać.
trial-happens-2 = Rozprawy mogą się opóźniać. Jeśli tak się stanie, powiemy Ci, dlaczego.
trial-told-1 = Co dzieje się w dniu rozprawy i dokąd iść.
trial-told-2 = Każde opóźnienie i jego powód.
trial-help = Zapytaj Witness Care Unit o koszty podróży. Możesz dostać ich zwrot.

sentencing-title = Werdykt i kara
sentencing-summary = Sąd decyduje, czy podejrzany jest winny, i jaka będzie kara.
sentencing-happens = Jeśli sąd uzna osobę za winną, sędzia decyduje o karze. Wcześniej sąd może wysłuchać Twojego oświadczenia osoby pokrzywdzonej (victim personal statement). Mówi ono, jak przestępstwo zmieniło Twoje życie.
sentencing-told-1 = Werdykt – w ciągu 1 dnia roboczego od chwili, gdy go poznamy.
sentencing-told-2 = Jaka jest kara i co ona oznacza.
sentencing-help = Możesz napisać oświadczenie osoby pokrzywdzonej w dowolnym momencie przed ogłoszeniem kary.

after-title = Po wyroku
after-summary = Co dzieje się dalej i gdzie szukać informacji.
after-happens = Osoba uznana za winną może złożyć apelację. Jeśli trafi do więzienia na długi czas, możesz dołączyć do Victim Contact Scheme. Dzięki temu dowiesz się, kiedy wyjdzie na wolność.
after-told-1 = Czy złożono apelację i co się z nią dzieje.
after-told-2 = Czy możesz dołączyć do Victim Contact Scheme i jak to zrobić.
after-help = Wsparcie jest dostępne także po zakończeniu sprawy. Możesz o nie poprosić w każdej chwili.

## Prawa

rights-title = 12 Twoich praw
rights-intro = Te prawa są zapisane w Victims' Code. Policja, sądy i inne instytucje muszą Ci je zapewnić.
right-1-title = Prawo do zrozumienia i porozumienia się
right-1-text = Możesz dostać pomoc, aby rozumieć innych i aby inni rozumieli Ciebie, na przykład tłumacza.
right-2-title = Prawo do zapisania zgłoszenia przestępstwa
right-2-text = Policja musi od razu zapisać zgłoszenie przestępstwa.
right-3-title = Prawo do informacji przy zgłoszeniu
right-3-text = Dostaniesz pisemne potwierdzenie zgłoszenia przestępstwa i informacje o tym, co będzie dalej.
right-4-title = Prawo do skierowania po wsparcie
right-4-text = Możemy połączyć Cię z organizacjami, które dają wsparcie. Sprawdzimy, czego potrzebujesz.
right-5-title = Prawo do informacji o pieniądzach za krzywdę lub stratę
right-5-text = Dowiesz się, jak ubiegać się o pieniądze za obrażenia lub utracone rzeczy.
right-6-title = Prawo do informacji o sprawie
right-6-text = Dowiesz się, co dzieje się w sprawie i jakie ważne decyzje zapadły, oraz dlaczego.
right-7-title = Prawo do złożenia oświadczenia osoby pokrzywdzonej (victim personal statement)
right-7-text = Możesz powiedzieć, jak przestępstwo na Ciebie wpłynęło. Sąd może to usłyszeć.
right-8-title = Prawo do informacji o rozprawie
right-8-text = Dowiesz się o terminach rozpraw i o tym, co będzie się działo, jeśli jesteś świadkiem.
right-9-title = Prawo do informacji o wyniku sprawy i apelacji
right-9-text = Dowiesz się o werdykcie, karze i każdej apelacji.
right-10-title = Prawo do zwrotu kosztów i rzeczy
right-10-text = Możesz ubiegać się o zwrot kosztów przyjścia do sądu. Rzeczy zabrane jako dowód zostaną Ci oddane, gdy będzie to możliwe.
right-11-title = Prawo do informacji o sprawcy
right-11-text = Możesz dostawać informacje o pobycie sprawcy w więzieniu i o jego wyjściu na wolność.
right-12-title = Prawo do złożenia skargi
right-12-text = Możesz złożyć skargę, jeśli nie zapewniono Ci tych praw.
enhanced-title = Dodatkowa pomoc dla niektórych ofiar
enhanced-text = Niektóre ofiary dostają więcej pomocy i szybciej. Dotyczy to ofiar najpoważniejszych przestępstw, takich jak przemoc domowa, przestępstwa z nienawiści czy przestępstwa seksualne. Dotyczy to też dzieci oraz osób szczególnie narażonych, przestraszonych lub raz po raz atakowanych.
enhanced-text-2 = Tym ofiarom przekazujemy większość informacji w ciągu 1 dnia roboczego, a nie 5.

## Skargi, odwołania i odszkodowania

help-title = Skargi, odwołania i pieniądze
complain-title = Jeśli coś Ci się nie podoba
complain-text = Możesz złożyć skargę, jeśli nie zapewniono Ci Twoich praw. Powiedz o tym policjantowi, który prowadzi Twoją sprawę, albo zadzwoń na infolinię. W ciągu 10 dni roboczych potwierdzimy, że mamy Twoją skargę.
complain-text-2 = Jeśli nadal coś Ci się nie podoba, możesz poprosić swojego posła do parlamentu (MP), aby przekazał sprawę do Parliamentary and Health Service Ombudsman.
review-title = Prośba o ponowne rozpatrzenie
review-text = Jeśli policja lub prawnik zdecyduje, że podejrzany nie usłyszy zarzutów, możesz poprosić o ponowne rozpatrzenie tej decyzji. Nazywa się to Victims' Right to Review.
review-text-2 = Poproś o to jak najszybciej. Najlepiej w ciągu 3 miesięcy.
money-title = Pieniądze za krzywdę lub stratę
money-text = Jeśli przestępstwo z użyciem przemocy spowodowało u Ciebie obrażenia, możesz mieć prawo do pieniędzy od Criminal Injuries Compensation Authority.
money-text-2 = Wniosek trzeba złożyć w ciągu 2 lat. Sąd może też nakazać sprawcy, aby Ci zapłacił.

## Spis organizacji wsparcia

support-title = Uzyskaj wsparcie
support-intro = Te organizacje pomagają bezpłatnie. Większość z nich pomoże Ci, nawet jeśli przestępstwo nie zostało zgłoszone na policję.
filter-heading = Znajdź odpowiednią pomoc
filter-crime = Co się stało
filter-need = Jakiej pomocy potrzebujesz
filter-any = Wszystkie
filter-button = Pokaż pomoc
filter-results = { $count ->
    [one] 1 organizacja
    [few] { $count } organizacje
    [many] { $count } organizacji
   *[other] { $count } organizacji
}
no-results = Nie ma pasującej organizacji. Spróbuj wybrać „Wszystkie”.
agency-phone = Telefon
agency-web = Strona internetowa
agency-hours = Czynne
need-emotional = Ktoś do rozmowy
need-practical = Pomoc praktyczna
need-court = Pomoc w sądzie
need-safety = Bezpieczeństwo
need-health = Zdrowie i opieka medyczna
need-money = Pieniądze i mieszkanie
need-legal = Porady prawne
need-information = Informacje o sprawcy
crime-all = Każde przestępstwo
crime-violence = Przemoc
crime-domestic = Przemoc domowa
crime-sexual = Przemoc seksualna
crime-stalking = Nękanie lub stalking
crime-hate = Przestępstwo z nienawiści
crime-fraud = Oszustwo
crime-bereaved = Ktoś zmarł
crime-child = Dziecko zostało skrzywdzone
