# A folha informativa online para vítimas. Escrita para quem lê ao nível de uma criança de 9 a 11 anos: frases
# curtas, palavras comuns. Um teste verifica a facilidade de leitura (Flesch) de todos os textos em inglês.
# Um falante nativo de português tem de rever este texto antes de ser publicado.

## Em todas as páginas

site-name = Ajuda para vítimas de crime
exit-page = Sair desta página
exit-page-hint = Saia deste site rapidamente. Também pode pressionar a tecla Shift três vezes.
shared-device = Se outras pessoas usam este telefone ou computador, podem ver o que lê aqui. Se puder, use uma janela privada.
language-label = Idioma
leaflet-home = Informação para vítimas
skip-link = Ir para o conteúdo principal
emergency = Em caso de emergência, ligue 999. Se não conseguir falar, ligue 999 e marque 55 quando lhe pedirem.
print-hint = Pode imprimir esta página.

## Página inicial

leaflet-title = O que acontece depois de denunciar um crime
leaflet-intro = Denunciou um crime. Esta página explica o que vai acontecer a seguir, quais são os seus direitos e quem pode ajudar.
leaflet-intro-2 = Não precisa de ler tudo de uma vez. Pode voltar a esta página quando quiser.
journey-heading = O seu percurso, passo a passo
rights-link = Os seus 12 direitos
rights-link-text = O que a polícia, os tribunais e outros serviços têm de fazer por si.
help-link = Queixas, revisões e dinheiro
help-link-text = O que fazer se não estiver contente, e como pedir dinheiro por danos ou perdas.
support-link = Obter apoio
support-link-text = Ajuda gratuita de pessoas que compreendem a sua situação.
not-your-fault = O que lhe aconteceu não é culpa sua. Não precisa de passar por isto sem ajuda.

## O percurso: uma página para cada passo

step-label = Passo { $number } de { $total }
what-happens = O que acontece
what-we-tell-you = O que lhe vamos dizer
who-can-help = Quem pode ajudar
previous-step = Anterior: { $title }
next-step = Seguinte: { $title }

report-title = Denuncia o crime
report-summary = Conta à polícia o que aconteceu.
report-happens = A polícia anota o que aconteceu. Vai receber um número de referência do crime. Guarde-o bem. Vai precisar dele quando nos ligar.
report-told-1 = O seu número de referência do crime, por escrito.
report-told-2 = O nome do agente da polícia responsável pelo seu caso, e como falar com essa pessoa.
report-told-3 = Com que frequência lhe vamos dar notícias, e de que forma. Pode escolher.
report-told-4 = Onde obter apoio gratuito. Se concordar, passamos os seus dados a um serviço de apoio no prazo de 2 dias úteis.
report-help = Pode pedir ajuda já. Não precisa de esperar.

investigation-title = A polícia investiga
investigation-summary = A polícia tenta descobrir quem foi.
investigation-happens = A polícia procura provas. A polícia pode falar com pessoas que viram o que aconteceu. Também pode prender alguém.
investigation-happens-2 = Às vezes, a polícia não pode levar o caso mais longe. Se isso acontecer, vai dizer-lhe a razão.
investigation-told-1 = Se alguém for preso ou interrogado.
investigation-told-2 = Se um suspeito for libertado, e as regras que tem de cumprir para a sua segurança.
investigation-told-3 = Se a polícia deixar de investigar o crime, e a razão.
investigation-told-4 = Notícias pelo menos a cada 28 dias, ou com a frequência combinada.
investigation-help = Se não se sentir em segurança, ligue 999. Para ter notícias do seu caso, ligue para a linha de apoio.

charge-title = A decisão de acusar
charge-summary = A polícia ou um advogado decide se o suspeito deve ir a tribunal.
charge-happens = Ser acusado significa que o suspeito vai responder pelo crime em tribunal. Em alguns crimes, quem decide é a polícia. Nos outros, decide um advogado do Crown Prosecution Service (o Ministério Público).
charge-told-1 = Se o suspeito for acusado, e quando tem de ir a tribunal.
charge-told-2 = Se o suspeito não for acusado, e a razão.
charge-told-3 = Que pode pedir que essa decisão seja analisada outra vez.
charge-help = Se não concordar com a decisão de não acusar, pode pedir uma revisão.

pretrial-title = Antes do julgamento
pretrial-summary = Prepara-se para o tribunal, com ajuda.
pretrial-happens = Depois da acusação, a Witness Care Unit (a equipa que acompanha as testemunhas) é o seu principal contacto. Diz-lhe as datas das audiências em tribunal. Diz-lhe também se tem de testemunhar.
pretrial-happens-2 = Se for testemunha, pode visitar o tribunal antes do julgamento. Pode pedir ajuda para testemunhar, por exemplo um biombo para não ver o suspeito.
pretrial-told-1 = A data de cada audiência em tribunal, e qualquer mudança.
pretrial-told-2 = Se o suspeito se declara culpado ou inocente.
pretrial-told-3 = Se tem de testemunhar.
pretrial-help = O Witness Service (serviço de apoio a testemunhas) pode ajudar antes do julgamento e no próprio dia. É gratuito.

trial-title = O julgamento
trial-summary = O tribunal analisa o caso.
trial-happens = O tribunal ouve as provas. Pode esperar numa sala à parte, longe do suspeito. Um voluntário do Witness Service pode ficar ao seu lado.
trial-happens-2 = Os julgamentos podem ser adiados. Se isso acontecer, vamos dizer-lhe a razão.
trial-told-1 = O que acontece no dia, e para onde deve ir.
trial-told-2 = Qualquer atraso, e a razão.
trial-help = Pergunte à Witness Care Unit sobre as despesas de viagem. Pode pedir o reembolso.

sentencing-title = O veredicto e a pena
sentencing-summary = O tribunal decide se o suspeito é culpado, e qual é a pena.
sentencing-happens = Se a pessoa for considerada culpada, o juiz decide a pena. Antes disso, o tribunal pode ouvir a sua declaração pessoal de vítima (victim personal statement). Nela, diz como o crime mudou a sua vida.
sentencing-told-1 = O veredicto, no máximo 1 dia útil depois de o sabermos.
sentencing-told-2 = A pena, e o que significa.
sentencing-help = Pode escrever uma declaração pessoal de vítima em qualquer momento antes de a pena ser decidida.

after-title = Depois da pena
after-summary = O que acontece a seguir, e onde obter notícias.
after-happens = A pessoa considerada culpada pode recorrer. Se essa pessoa ficar muito tempo na prisão, pode inscrever-se no Victim Contact Scheme (programa de contacto com vítimas). Este programa dá-lhe notícias sobre a saída da prisão.
after-told-1 = Qualquer recurso, e o que acontece com ele.
after-told-2 = Se pode inscrever-se no Victim Contact Scheme, e como.
after-help = O apoio continua depois de o caso terminar. Pode pedi-lo em qualquer momento.

## Direitos

rights-title = Os seus 12 direitos
rights-intro = Estes direitos vêm do Victims' Code (Código das Vítimas). A polícia, os tribunais e outros serviços têm de os respeitar.
right-1-title = Compreender e fazer-se compreender
right-1-text = Pode ter ajuda para compreender e fazer-se compreender, por exemplo um intérprete.
right-2-title = Ter o crime registado
right-2-text = A polícia tem de registar o crime sem demora.
right-3-title = Receber informação quando denuncia
right-3-text = Vai receber uma confirmação escrita do crime, e informação sobre o que acontece a seguir.
right-4-title = Ter acesso a apoio
right-4-text = Podemos pedir a serviços de apoio que entrem em contacto. Vamos ver aquilo de que precisa.
right-5-title = Informação sobre dinheiro por danos ou perdas
right-5-text = Vamos explicar-lhe como pedir dinheiro se sofreu ferimentos ou perdeu alguma coisa.
right-6-title = Notícias sobre o caso
right-6-text = Vai receber notícias sobre o caso e sobre decisões importantes, com as razões.
right-7-title = Fazer uma declaração pessoal de vítima
right-7-text = Pode dizer como o crime afetou a sua vida. O tribunal pode ouvir a sua declaração.
right-8-title = Informação sobre o julgamento
right-8-text = Vai saber as datas do tribunal e o que vai acontecer se for testemunha.
right-9-title = Saber o resultado e qualquer recurso
right-9-text = Vai saber o veredicto, a pena e qualquer recurso.
right-10-title = Reembolso de despesas e devolução de bens
right-10-text = Pode pedir o reembolso das despesas de ir a tribunal. As coisas levadas como prova serão devolvidas quando for possível.
right-11-title = Notícias sobre o autor do crime
right-11-text = Pode receber notícias sobre o tempo que o autor do crime passa na prisão e sobre a sua libertação.
right-12-title = Fazer uma queixa
right-12-text = Pode fazer uma queixa se estes direitos não forem respeitados.
enhanced-title = Ajuda extra para algumas vítimas
enhanced-text = Algumas vítimas recebem mais ajuda, e mais cedo. Isto inclui vítimas dos crimes mais graves, como violência doméstica, crimes de ódio ou crimes sexuais. Também inclui crianças, pessoas vulneráveis, pessoas com medo e pessoas que são vítimas vezes sem conta.
enhanced-text-2 = Para estas vítimas, damos a maioria das notícias no prazo de 1 dia útil, em vez de 5.

## Queixas, revisões e indemnizações

help-title = Queixas, revisões e dinheiro
complain-title = Se não estiver contente
complain-text = Pode fazer uma queixa se os seus direitos não foram respeitados. Fale com o agente da polícia ou ligue para a linha de apoio. Vamos confirmar que recebemos a sua queixa no prazo de 10 dias úteis.
complain-text-2 = Se continuar descontente, pode pedir ao seu deputado (MP) que leve a queixa ao Parliamentary and Health Service Ombudsman (o provedor que analisa queixas sobre serviços públicos).
review-title = Pedir uma revisão
review-text = Se a polícia ou um advogado decidir não acusar o suspeito, pode pedir que essa decisão seja analisada outra vez. Isto chama-se Victims' Right to Review (direito da vítima a pedir uma revisão).
review-text-2 = Peça o mais cedo possível. O melhor é pedir no prazo de 3 meses.
money-title = Dinheiro por danos ou perdas
money-text = Se sofreu ferimentos num crime violento, pode ter direito a receber dinheiro da Criminal Injuries Compensation Authority (a entidade que paga indemnizações a vítimas de crimes violentos).
money-text-2 = Deve fazer o pedido no prazo de 2 anos. O tribunal também pode mandar o autor do crime pagar-lhe.

## Lista de serviços de apoio

support-title = Obter apoio
support-intro = Estes serviços são gratuitos. A maioria ajuda mesmo que não tenha denunciado o crime.
filter-heading = Encontrar a ajuda certa
filter-crime = O que aconteceu
filter-need = De que ajuda precisa
filter-any = Qualquer
filter-button = Mostrar ajuda
filter-results = { $count ->
    [one] { $count } serviço
   *[other] { $count } serviços
}
no-results = Nenhum serviço corresponde. Tente escolher "Qualquer".
agency-phone = Telefone
agency-web = Site
agency-hours = Horário
need-emotional = Alguém com quem falar
need-practical = Ajuda prática
need-court = Ajuda com o tribunal
need-safety = Ficar em segurança
need-health = Saúde e cuidados médicos
need-money = Dinheiro e habitação
need-legal = Aconselhamento jurídico
need-information = Notícias sobre o autor do crime
crime-all = Qualquer crime
crime-violence = Violência
crime-domestic = Violência doméstica
crime-sexual = Violência sexual
crime-stalking = Perseguição ou assédio
crime-hate = Crime de ódio
crime-fraud = Fraude
crime-bereaved = Alguém morreu
crime-child = Uma criança foi vítima
