# Wiadomości, które wysyłamy do osób pokrzywdzonych e-mailem (a później także SMS-em i listem). Proste, krótkie słowa.
# Temat widać na ekranie zablokowanego telefonu, więc nie mówi nic o przestępstwie.
# Przed publikacją tekst musi sprawdzić osoba, dla której polski jest językiem ojczystym.

msg-subject = Wiadomość w Twojej sprawie
msg-greeting = Dzień dobry,
msg-news = Mamy nowe informacje w Twojej sprawie. Numer referencyjny Twojej sprawy to { $reference }.
msg-review = Możesz poprosić, żebyśmy jeszcze raz sprawdzili tę decyzję. Zadzwoń do nas i poproś o ponowne rozpatrzenie.
msg-more = Aby zobaczyć więcej, otwórz link, który Ci przekazaliśmy. Aby z kimś porozmawiać, zadzwoń pod numer { $helpline }.
msg-support = Pomoc i wsparcie znajdziesz tutaj: { $leaflet }
msg-emergency = W nagłej sytuacji zadzwoń pod 999.
msg-nominated = Dostajesz tę wiadomość, ponieważ zgadzasz się dostawać informacje o tej sprawie w imieniu innej osoby.
msg-sign-off = Opieka nad Ofiarami
msg-update = To jest informacja o Twojej sprawie. Numer referencyjny Twojej sprawy to { $reference }.
msg-periodic = Nie ma dużych zmian. Policja nadal zajmuje się Twoją sprawą. Powiemy Ci, gdy coś się wydarzy.
msg-discreet = Mamy dla Ciebie nową informację. Aby ją przeczytać, otwórz link od nas albo zadzwoń pod numer { $helpline }.
msg-discreet-subject = Nowa informacja dla Ciebie
msg-sms = Sprawa { $reference }: { $news } Więcej: otwórz link lub zadzwoń { $helpline }.
msg-sms-periodic = Sprawa { $reference }: bez dużych zmian. Policja nadal nad nią pracuje. Więcej: otwórz link lub zadzwoń { $helpline }.
msg-survey-subject = Jak nam poszło?
msg-survey = Prosimy, powiedz nam, jak nam do tej pory szło. Otwórz link, który Ci przekazaliśmy, i wybierz „Powiedz nam, jak nam poszło”. Zajmie to około 3 minut. Możesz odpowiedzieć bez podawania imienia i nazwiska. Nie musisz odpowiadać.
msg-sms-survey = Opieka nad Ofiarami: prosimy, powiedz nam, jak nam poszło. Otwórz link, który Ci przekazaliśmy, i wybierz „Powiedz nam, jak nam poszło”. Nie musisz odpowiadać.
msg-panel-subject = Zaproszenie: pomóż nam działać lepiej
msg-panel = Dziękujemy za dołączenie do naszego panelu ofiar przestępstw. Chcemy zaprosić Cię na spotkanie. Otwórz link, który Ci przekazaliśmy, aby zobaczyć, czego dotyczy, albo zadzwoń do nas. Nie musisz brać udziału.
msg-sms-panel = Opieka nad Ofiarami: dziękujemy za dołączenie do naszego panelu ofiar przestępstw. Chcemy zaprosić Cię na spotkanie. Otwórz link lub zadzwoń { $helpline }. Nie musisz brać udziału.
