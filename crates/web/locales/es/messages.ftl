# Los mensajes que enviamos a las víctimas por correo electrónico (y más adelante por mensaje de texto y por carta). Palabras sencillas y cortas.
# El asunto se ve en la pantalla del teléfono bloqueado, así que no dice nada del delito.
# Una persona nativa de español debe revisar este texto antes de publicarlo.

msg-subject = Un mensaje sobre su caso
msg-greeting = Hola:
msg-news = Hay novedades sobre su caso. La referencia del delito es { $reference }.
msg-review = Puede pedirnos que volvamos a mirar esta decisión. Llámenos y pida una revisión.
msg-more = Para ver más, abra el enlace que le dimos. Para hablar con alguien, llame al { $helpline }.
msg-support = Para recibir ayuda y apoyo, visite { $leaflet }
msg-emergency = En una emergencia, llame al 999.
msg-nominated = Le llega este mensaje porque aceptó recibir noticias de este caso en nombre de otra persona.
msg-sign-off = Atención a Víctimas
msg-update = Esta es una actualización sobre su caso. La referencia del delito es { $reference }.
msg-periodic = No hay grandes novedades. La policía sigue trabajando en su caso. Le avisaremos cuando pase algo.
msg-discreet = Tiene una actualización. Abra el enlace que le dimos para leerla o llámenos al { $helpline }.
msg-discreet-subject = Una actualización para usted
msg-sms = Caso { $reference }: { $news } Más: abra su enlace o llame al { $helpline }.
msg-sms-periodic = Caso { $reference }: no hay grandes novedades. La policía sigue trabajando. Más: abra su enlace o llame al { $helpline }.
msg-survey-subject = ¿Qué tal lo hicimos?
msg-survey = Por favor, díganos cómo lo hemos hecho hasta ahora. Abra el enlace que le dimos y elija «Díganos cómo lo hicimos». Se tarda unos 3 minutos, y puede responder sin dar su nombre. No tiene que responder.
msg-sms-survey = Atención a Víctimas: por favor, díganos cómo lo hicimos. Abra el enlace que le dimos y elija «Díganos cómo lo hicimos». No tiene que responder.
msg-panel-subject = Una invitación para ayudarnos a mejorar
msg-panel = Gracias por unirse a nuestro panel de víctimas. Nos gustaría invitarle a una sesión. Abra el enlace que le dimos para ver de qué se trata, o llámenos. No tiene que participar.
msg-sms-panel = Atención a Víctimas: gracias por unirse a nuestro panel de víctimas. Nos gustaría invitarle a una sesión. Abra su enlace o llame al { $helpline }. No tiene que participar.
