# El folleto de información en línea para víctimas. Escrito para una edad lectora de unos 9 a 11 años: frases
# cortas, palabras comunes. Una prueba comprueba la facilidad de lectura (Flesch) de cada texto en inglés.
# Una persona nativa de español debe revisar este texto antes de publicarlo.

## En todas las páginas

site-name = Ayuda para víctimas de delitos
exit-page = Salir de esta página
exit-page-hint = Salga de este sitio rápidamente. También puede pulsar la tecla Shift tres veces.
shared-device = Si otras personas usan este teléfono u ordenador, pueden ver lo que usted lee aquí. Si puede, use una ventana privada.
language-label = Idioma
leaflet-home = Información para víctimas
skip-link = Saltar al contenido principal
emergency = En una emergencia, llame al 999. Si no puede hablar, llame al 999 y pulse 55 cuando se lo pidan.
print-hint = Puede imprimir esta página.

## Página de inicio

leaflet-title = Qué pasa después de denunciar un delito
leaflet-intro = Usted ha denunciado un delito. Esta página le explica qué pasará ahora, qué derechos tiene y quién le puede ayudar.
leaflet-intro-2 = No tiene que leerla toda de una vez. Puede volver a ella cuando quiera.
journey-heading = Su camino, paso a paso
rights-link = Sus 12 derechos
rights-link-text = Lo que la policía, los tribunales y otros deben hacer por usted.
help-link = Quejas, revisiones y dinero
help-link-text = Qué hacer si no está conforme, y cómo pedir dinero por daños o pérdidas.
support-link = Obtener apoyo
support-link-text = Ayuda gratuita de personas que entienden lo que usted está pasando.
not-your-fault = Lo que le pasó no es culpa suya. No tiene que pasar por esto sin ayuda.

## El camino: una página para cada paso

step-label = Paso { $number } de { $total }
what-happens = Qué pasa
what-we-tell-you = Qué le diremos
who-can-help = Quién le puede ayudar
previous-step = Atrás: { $title }
next-step = Siguiente: { $title }

report-title = Usted denuncia el delito
report-summary = Usted cuenta a la policía lo que pasó.
report-happens = La policía anota lo que pasó. Le da un número de referencia del delito. Guárdelo bien. Lo necesitará cuando nos llame.
report-told-1 = Su número de referencia del delito, por escrito.
report-told-2 = El nombre del agente que lleva su caso, y cómo ponerse en contacto con él.
report-told-3 = Cada cuánto le daremos noticias, y cómo. Usted puede elegir.
report-told-4 = Dónde conseguir apoyo gratuito. Si usted está de acuerdo, pasaremos sus datos en un plazo de 2 días laborables.
report-help = Puede pedir ayuda ahora. No tiene que esperar.

investigation-title = La policía investiga
investigation-summary = La policía intenta averiguar quién lo hizo.
investigation-happens = La policía busca pruebas. Puede hablar con personas que vieron lo que pasó. Puede detener a alguien.
investigation-happens-2 = A veces la policía no puede seguir adelante con un caso. Si pasa esto, le dirá por qué.
investigation-told-1 = Si detienen o interrogan a alguien.
investigation-told-2 = Si dejan libre a un sospechoso, y las normas que debe cumplir para que usted esté a salvo.
investigation-told-3 = Si la policía deja de investigar el delito, y por qué.
investigation-told-4 = Noticias al menos cada 28 días, o tan a menudo como acordamos con usted.
investigation-help = Si siente que corre peligro, llame al 999. Para saber cómo va su caso, llame a la línea de ayuda.

charge-title = La decisión de acusar
charge-summary = La policía o un abogado deciden si el sospechoso debe ir al tribunal.
charge-happens = Acusar significa llevar al sospechoso ante un tribunal por el delito. En algunos delitos decide la policía. En otros, decide un abogado del Crown Prosecution Service (la fiscalía).
charge-told-1 = Si acusan al sospechoso, y cuándo debe ir al tribunal.
charge-told-2 = Si no van a acusar al sospechoso, y por qué.
charge-told-3 = Que usted puede pedir que se vuelva a estudiar esa decisión.
charge-help = Si no está de acuerdo con la decisión de no acusar, puede pedir una revisión.

pretrial-title = Antes del juicio
pretrial-summary = Usted se prepara para ir al tribunal, con ayuda.
pretrial-happens = Después de la acusación, la Witness Care Unit (servicio de atención a testigos) es su contacto principal. Le dice las fechas del tribunal. Le dice si tiene que declarar.
pretrial-happens-2 = Si usted es testigo, puede visitar el tribunal antes del juicio. Puede pedir ayuda para declarar, por ejemplo una pantalla para no ver al sospechoso.
pretrial-told-1 = La fecha de cada audiencia en el tribunal, y cualquier cambio.
pretrial-told-2 = Si el sospechoso se declara culpable o no culpable.
pretrial-told-3 = Si usted tiene que declarar.
pretrial-help = El Witness Service (servicio de apoyo a testigos) le puede ayudar antes del juicio y el mismo día. Es gratis.

trial-title = El juicio
trial-summary = El tribunal estudia el caso.
trial-happens = El tribunal escucha las pruebas. Usted puede esperar en una sala aparte, lejos del sospechoso. Un voluntario del Witness Service puede quedarse con usted.
trial-happens-2 = A veces los juicios se retrasan. Si pasa esto, le diremos por qué.
trial-told-1 = Qué pasa ese día, y adónde tiene que ir.
trial-told-2 = Cualquier retraso, y el motivo.
trial-help = Pregunte a la Witness Care Unit por los gastos de viaje. Puede pedir que se los devuelvan.

sentencing-title = El veredicto y la condena
sentencing-summary = El tribunal decide si el sospechoso es culpable, y el castigo.
sentencing-happens = Si declaran culpable a la persona, el juez decide la condena. Antes, el tribunal puede escuchar su declaración personal de víctima (victim personal statement). En ella usted cuenta cómo el delito ha cambiado su vida.
sentencing-told-1 = El veredicto, en 1 día laborable desde que lo sepamos.
sentencing-told-2 = La condena, y lo que significa.
sentencing-help = Puede escribir una declaración personal de víctima en cualquier momento antes de la condena.

after-title = Después de la condena
after-summary = Qué pasa después, y dónde recibir noticias.
after-happens = La persona declarada culpable puede apelar. Si va a prisión por mucho tiempo, usted puede unirse al Victim Contact Scheme (programa de contacto con víctimas). Este programa le informa de su salida de prisión.
after-told-1 = Cualquier apelación, y lo que pasa con ella.
after-told-2 = Si puede unirse al Victim Contact Scheme, y cómo.
after-help = El apoyo sigue ahí cuando el caso termina. Puede pedirlo en cualquier momento.

## Derechos

rights-title = Sus 12 derechos
rights-intro = Estos derechos vienen del Victims' Code (código de las víctimas). La policía, los tribunales y otros deben respetarlos.
right-1-title = A entender y a que le entiendan
right-1-text = Puede recibir ayuda para entender y para que le entiendan, por ejemplo un intérprete.
right-2-title = A que se registre el delito
right-2-text = La policía debe anotar el delito sin demora.
right-3-title = A recibir información cuando denuncia
right-3-text = Recibirá una confirmación del delito por escrito, e información sobre lo que pasará después.
right-4-title = A que le pongan en contacto con servicios de apoyo
right-4-text = Le pueden poner en contacto con servicios de apoyo. Se estudiará lo que usted necesita.
right-5-title = A información sobre dinero por daños o pérdidas
right-5-text = Le dirán cómo pedir dinero si sufrió daños o perdió algo.
right-6-title = A noticias sobre el caso
right-6-text = Le informarán sobre el caso y sobre las decisiones importantes, con sus motivos.
right-7-title = A hacer una declaración personal de víctima
right-7-text = Puede contar cómo le ha afectado el delito. El tribunal puede escucharlo.
right-8-title = A información sobre el juicio
right-8-text = Le informarán de las fechas del tribunal, y de lo que pasará si usted es testigo.
right-9-title = A conocer el resultado y cualquier apelación
right-9-text = Le informarán del veredicto, la condena y cualquier apelación.
right-10-title = A que le paguen los gastos y le devuelvan sus cosas
right-10-text = Puede pedir que le paguen los gastos de ir al tribunal. Las cosas que se llevaron como prueba se le devolverán cuando sea posible.
right-11-title = A noticias sobre el delincuente
right-11-text = Puede que le informen sobre el tiempo del delincuente en prisión y sobre su salida.
right-12-title = A presentar una queja
right-12-text = Puede presentar una queja si no se respetan estos derechos.
enhanced-title = Más ayuda para algunas víctimas
enhanced-text = Algunas víctimas reciben más ayuda, y antes. Por ejemplo, las víctimas de los delitos más graves, como la violencia doméstica, los delitos de odio o los delitos sexuales. También los niños, y las personas vulnerables, que tienen miedo o que sufren ataques una y otra vez.
enhanced-text-2 = A estas víctimas les damos casi todas las noticias en 1 día laborable, en lugar de 5.

## Quejas, revisiones e indemnizaciones

help-title = Quejas, revisiones y dinero
complain-title = Si no está conforme
complain-text = Puede presentar una queja si no se respetaron sus derechos. Dígaselo al agente o llame a la línea de ayuda. En un plazo de 10 días laborables le diremos que hemos recibido su queja.
complain-text-2 = Si sigue sin estar conforme, puede pedir a su diputado (MP) que lleve la queja al Parliamentary and Health Service Ombudsman (defensor del pueblo).
review-title = Pedir una revisión
review-text = Si la policía o un abogado deciden no acusar al sospechoso, usted puede pedir que se vuelva a estudiar esa decisión. Esto se llama Victims' Right to Review (derecho de la víctima a pedir una revisión).
review-text-2 = Pídala lo antes posible. Lo mejor es pedirla en un plazo de 3 meses.
money-title = Dinero por daños o pérdidas
money-text = Si sufrió lesiones en un delito violento, puede que reciba dinero de la Criminal Injuries Compensation Authority (organismo que indemniza a las víctimas).
money-text-2 = Debe pedirlo en un plazo de 2 años. El tribunal también puede ordenar al delincuente que le pague a usted.

## Directorio de apoyo

support-title = Obtener apoyo
support-intro = Estos servicios son gratuitos. La mayoría le ayudará aunque usted no haya denunciado el delito.
filter-heading = Encuentre la ayuda adecuada
filter-crime = Qué pasó
filter-need = Qué ayuda necesita
filter-any = Cualquiera
filter-button = Mostrar ayuda
filter-results = { $count ->
    [one] 1 servicio
   *[other] { $count } servicios
}
no-results = Ningún servicio coincide. Pruebe a elegir "Cualquiera".
agency-phone = Teléfono
agency-web = Sitio web
agency-hours = Horario
need-emotional = Alguien con quien hablar
need-practical = Ayuda práctica
need-court = Ayuda con el tribunal
need-safety = Estar a salvo
need-health = Salud y atención médica
need-money = Dinero y vivienda
need-legal = Asesoramiento legal
need-information = Noticias sobre el delincuente
crime-all = Cualquier delito
crime-violence = Violencia
crime-domestic = Violencia doméstica
crime-sexual = Violencia sexual
crime-stalking = Acoso o persecución
crime-hate = Delito de odio
crime-fraud = Fraude
crime-bereaved = Alguien ha muerto
crime-child = Hicieron daño a un niño
