# The online victim information leaflet. Written for a reading age of about 9 to 11: short
# sentences, common words. A test checks the Flesch reading ease of every English text here.

## Everywhere

site-name = Help for victims of crime
exit-page = Exit this page
exit-page-hint = Leave this site quickly. You can also press the Shift key three times.
shared-device = If other people use this phone or computer, they may see what you read here. Use a private window if you can.
language-label = Language
leaflet-home = Victim information
skip-link = Skip to main content
emergency = In an emergency, call 999. If you cannot speak, call 999 and press 55 when asked.
print-hint = You can print this page.

## Start page

leaflet-title = What happens after you report a crime
leaflet-intro = You have reported a crime. This page tells you what will happen next, what you have a right to, and who can help you.
leaflet-intro-2 = You do not have to read it all at once. Come back to it when you are ready.
journey-heading = Your journey, step by step
rights-link = Your 12 rights
rights-link-text = What the police, the courts and others must do for you.
help-link = Complaints, reviews and money
help-link-text = What to do if you are not happy, and how to claim money for harm or loss.
support-link = Get support
support-link-text = Free help from people who know what you are going through.
not-your-fault = What happened to you is not your fault. You do not need to cope alone.

## The journey: one page for each step

step-label = Step { $number } of { $total }
what-happens = What happens
what-we-tell-you = What we will tell you
who-can-help = Who can help
previous-step = Back: { $title }
next-step = Next: { $title }

report-title = You report the crime
report-summary = You tell the police what happened.
report-happens = The police write down what happened. They give you a crime reference number. Keep it safe. You will need it when you call us.
report-told-1 = Your crime reference number, in writing.
report-told-2 = The name of the officer looking after your case, and how to reach them.
report-told-3 = How often we will update you, and how. You can choose.
report-told-4 = Where to get free support. We will pass on your details within 2 working days if you agree.
report-help = You can ask for help now. You do not have to wait.

investigation-title = The police look into it
investigation-summary = The police try to find out who did it.
investigation-happens = The police look for evidence. They may talk to people who saw what happened. They may arrest someone.
investigation-happens-2 = Sometimes the police cannot take a case further. If so, they will tell you why.
investigation-told-1 = If someone is arrested or questioned.
investigation-told-2 = If a suspect is let go, and any rules they must follow to keep you safe.
investigation-told-3 = If the police stop looking into the crime, and why.
investigation-told-4 = News at least every 28 days, or as often as you agreed.
investigation-help = If you feel unsafe, call 999. For news about your case, call the helpline.

charge-title = The decision to charge
charge-summary = The police or a lawyer decide if the suspect should go to court.
charge-happens = A charge means the suspect is accused of the crime in court. The police decide for some crimes. For others, a lawyer from the Crown Prosecution Service decides.
charge-told-1 = If the suspect is charged, and when they must go to court.
charge-told-2 = If the suspect will not be charged, and why.
charge-told-3 = That you can ask for that choice to be looked at again.
charge-help = If you do not agree with a choice not to charge, you can ask for a review.

pretrial-title = Before the trial
pretrial-summary = You get ready for court, with help.
pretrial-happens = After a charge, the Witness Care Unit is your main contact. They tell you about court dates. They tell you if you need to give evidence.
pretrial-happens-2 = If you are a witness, you can visit the court before the trial. You can ask for help to give evidence, such as a screen so you do not see the suspect.
pretrial-told-1 = The date of each court hearing, and any change to it.
pretrial-told-2 = Whether the suspect pleads guilty or not guilty.
pretrial-told-3 = Whether you need to give evidence.
pretrial-help = The Witness Service can help you before and on the day. It is free.

trial-title = The trial
trial-summary = The court hears the case.
trial-happens = The court listens to the evidence. You may wait in a separate room, away from the suspect. A Witness Service volunteer can stay with you.
trial-happens-2 = Trials can be delayed. If this happens, we will tell you why.
trial-told-1 = What happens on the day, and where to go.
trial-told-2 = Any delay, and the reason for it.
trial-help = Ask the Witness Care Unit about travel costs. You can claim them back.

sentencing-title = The verdict and sentence
sentencing-summary = The court decides if the suspect is guilty, and the punishment.
sentencing-happens = If the person is found guilty, the judge decides on a sentence. Before this, the court can hear your victim personal statement. This says how the crime has changed your life.
sentencing-told-1 = The verdict, within 1 working day of us hearing it.
sentencing-told-2 = The sentence, and what it means.
sentencing-help = You can write a victim personal statement at any time before the sentence.

after-title = After the sentence
after-summary = What happens next, and where to get news.
after-happens = The person found guilty may appeal. If they go to prison for a long time, you may join the Victim Contact Scheme. It tells you about their release.
after-told-1 = Any appeal, and what happens with it.
after-told-2 = If you can join the Victim Contact Scheme, and how.
after-help = Support is still there after the case ends. You can ask for it at any time.

## Rights

rights-title = Your 12 rights
rights-intro = These rights come from the Victims' Code. The police, the courts and others must give you these.
right-1-title = To understand and be understood
right-1-text = You can have help to understand and to be understood, such as an interpreter.
right-2-title = To have the crime recorded
right-2-text = The police must write down the crime without delay.
right-3-title = To get information when you report
right-3-text = You will get written confirmation of the crime, and information about what happens next.
right-4-title = To be referred to support
right-4-text = You can be put in touch with support services. Your needs will be checked.
right-5-title = To information about money for harm or loss
right-5-text = You will be told how to claim money if you were hurt or lost something.
right-6-title = To news about the case
right-6-text = You will be told about the case and about important choices, with the reasons.
right-7-title = To make a victim personal statement
right-7-text = You can say how the crime has affected you. The court can hear it.
right-8-title = To information about the trial
right-8-text = You will be told about court dates and what will happen if you are a witness.
right-9-title = To the outcome and any appeal
right-9-text = You will be told the verdict, the sentence and any appeal.
right-10-title = To get costs paid and things returned
right-10-text = You can claim costs for going to court. Things taken as evidence will be given back when possible.
right-11-title = To news about the offender
right-11-text = You may be told about the offender's time in prison and their release.
right-12-title = To complain
right-12-text = You can complain if you do not get these rights.
enhanced-title = Extra help for some victims
enhanced-text = Some victims get more help, sooner. This includes victims of the most serious crimes, such as domestic abuse, hate crime or sexual crime. It also includes children, and people who are vulnerable, scared or targeted again and again.
enhanced-text-2 = For these victims, we give most updates within 1 working day instead of 5.

## Complaints, reviews and compensation

help-title = Complaints, reviews and money
complain-title = If you are not happy
complain-text = You can complain if you did not get your rights. Tell the officer or call the helpline. We will tell you we have your complaint within 10 working days.
complain-text-2 = If you are still not happy, you can ask your MP to take it to the Parliamentary and Health Service Ombudsman.
review-title = Asking for a review
review-text = If the police or a lawyer decide not to charge the suspect, you can ask for that choice to be looked at again. This is called the Victims' Right to Review.
review-text-2 = Ask as soon as you can. It is best to ask within 3 months.
money-title = Money for harm or loss
money-text = If you were hurt in a violent crime, you may be able to get money from the Criminal Injuries Compensation Authority.
money-text-2 = You should apply within 2 years. The court may also tell the offender to pay you.

## Support directory

support-title = Get support
support-intro = These services are free. Most will help you even if you have not reported the crime.
filter-heading = Find the right help
filter-crime = What happened
filter-need = What help you need
filter-any = Any
filter-button = Show help
filter-results = { $count ->
    [one] 1 service
   *[other] { $count } services
}
no-results = No service matches. Try choosing "Any".
agency-phone = Phone
agency-web = Website
agency-hours = Open
need-emotional = Someone to talk to
need-practical = Practical help
need-court = Help with court
need-safety = Staying safe
need-health = Health and medical care
need-money = Money and housing
need-legal = Legal advice
need-information = News about the offender
crime-all = Any crime
crime-violence = Violence
crime-domestic = Domestic abuse
crime-sexual = Sexual violence
crime-stalking = Stalking or harassment
crime-hate = Hate crime
crime-fraud = Fraud
crime-bereaved = Someone died
crime-child = A child was harmed
