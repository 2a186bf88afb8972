# As mensagens que enviamos às vítimas por email (e mais tarde por SMS e por carta). Palavras simples e curtas.
# O assunto aparece no ecrã do telemóvel bloqueado, por isso não diz nada sobre o crime.
# Um falante nativo de português tem de rever este texto antes de ser publicado.

msg-subject = Uma mensagem sobre o seu caso
msg-greeting = Olá,
msg-news = Há novidades sobre o seu caso. A referência do crime é { $reference }.
msg-review = Pode pedir-nos para voltarmos a analisar esta decisão. Ligue-nos e peça uma revisão.
msg-more = Para ver mais, abra o link que lhe demos. Para falar com alguém, ligue para o { $helpline }.
msg-support = Para ter ajuda e apoio, veja { $leaflet }
msg-emergency = Em caso de emergência, ligue 999.
msg-nominated = Esta mensagem chega-lhe porque aceitou receber notícias deste caso em nome de outra pessoa.
msg-sign-off = Atendimento à Vítima
msg-update = Esta é uma atualização sobre o seu caso. A referência do crime é { $reference }.
msg-periodic = Não há grandes novidades. A polícia continua a trabalhar no seu caso. Vamos avisar quando acontecer alguma coisa.
msg-discreet = Tem uma atualização. Abra o link que lhe demos para a ler ou ligue-nos para o { $helpline }.
msg-discreet-subject = Uma atualização para si
msg-sms = Caso { $reference }: { $news } Mais: abra o seu link ou ligue { $helpline }.
msg-sms-periodic = Caso { $reference }: não há grandes novidades. A polícia continua a trabalhar. Mais: abra o seu link ou ligue { $helpline }.
msg-survey-subject = Como foi o nosso trabalho?
msg-survey = Por favor, diga-nos como trabalhámos até agora. Abra o link que lhe demos e escolha «Diga-nos como trabalhámos». Demora cerca de 3 minutos e pode responder sem dar o seu nome. Não é obrigatório responder.
msg-sms-survey = Atendimento à Vítima: por favor, diga-nos como trabalhámos. Abra o link que lhe demos e escolha «Diga-nos como trabalhámos». Não é obrigatório responder.
msg-panel-subject = Um convite para nos ajudar a melhorar
msg-panel = Obrigado por se juntar ao nosso painel de vítimas. Gostaríamos de lhe fazer um convite para uma sessão. Abra o link que lhe demos para saber do que se trata, ou ligue-nos. Não é obrigatório participar.
msg-sms-panel = Atendimento à Vítima: obrigado por se juntar ao nosso painel de vítimas. Gostaríamos de lhe fazer um convite para uma sessão. Abra o seu link ou ligue { $helpline }. Não é obrigatório participar.
