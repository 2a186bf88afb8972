# The messages we send to victims by email (and later by text and letter). Plain, short words.
# The subject shows on a locked phone's screen, so it says nothing about the crime.

msg-subject = A message about your case
msg-greeting = Hello,
msg-news = There is news about your case. Your crime reference is { $reference }.
msg-review = You can ask us to look again at this decision. Call us and ask for a review.
msg-more = To see more, open the link we gave you. To talk to someone, call { $helpline }.
msg-support = For help and support, see { $leaflet }
msg-emergency = In an emergency, call 999.
msg-nominated = You get this message because you agreed to hear about this case for someone.
msg-sign-off = Victim Care
msg-update = This is an update about your case. Your crime reference is { $reference }.
msg-periodic = There is no big news. The police are still working on your case. We will tell you when something happens.
msg-discreet = There is an update for you. Open the link we gave you to read it, or call us on { $helpline }.
msg-discreet-subject = An update for you
msg-sms = Case { $reference }: { $news } More: open your link or call { $helpline }.
msg-sms-periodic = Case { $reference }: no big news. The police are still working on it. More: open your link or call { $helpline }.
msg-survey-subject = How did we do?
msg-survey = Please tell us how we have done so far. Open the link we gave you and choose "Tell us how we did". It takes about 3 minutes, and you can answer without giving your name. You do not have to answer.
msg-sms-survey = Victim Care: please tell us how we did. Open the link we gave you and choose "Tell us how we did". You do not have to answer.
msg-panel-subject = An invitation to help us improve
msg-panel = Thank you for joining our victims' panel. We would like to invite you to a session. Open the link we gave you to see what it is about, or call us. You do not have to take part.
msg-sms-panel = Victim Care: thank you for joining our victims' panel. We would like to invite you to a session. Open your link or call { $helpline }. You do not have to take part.
