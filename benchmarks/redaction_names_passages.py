"""Passages for the redaction benchmark's name sets: names in any case, and ordinary words.

Fictional, in the service's voices: notes typed in lower case on a phone, forms and texts in
capitals, transcribed speech with no capitals or full stops (as Whisper gives it), notes whose
first word is an ordinary word that is also a name ("Draft", "Ward", "Will", "Grace"),
children's names, double-barrelled and non-Anglo names, nicknames, names beside ages, staff
with titles, and places and organisations in any case.

Labels, decided before the recognizers were changed and marked inline as in redaction.py:
- PERSON: a name in whatever case it is typed, without a title or a relation ("my son"),
  every mention. A double-barrelled or several-part name is one label.
- PLACE, ORGANISATION, ADDRESS and the rest: as in redaction.py, in any case.
- KEEP: an ordinary word that must stay readable. Every ordinary use of a word that is also
  a first name or a surname (will, may, bill, frank, grace, hope, rose, mark, sunny, ward,
  church, faith, joy, patience, dawn, holly, cash, brown, white, young) is labelled, and so is
  the ordinary first word of a heading or note ("Draft", "Review", "Summary").

Two lists, written together before any recognizer was changed: TUNING may be looked at and
tuned on; HELD_OUT is run only when the tuning is done, to report figures on unseen text.
"""

TUNING = [
    # n01 a note typed in lower case, a name beside an age
    "visited «PERSON:edna vexcombe», 87, at home today. she was confused about her tablets and "
    "said «PERSON:terry» from next door has been doing her shopping",
    # n02 transcribed speech, no capitals or full stops
    "so my daughter «PERSON:kelly» rang the «KEEP:ward» and they said mum was fine but when we "
    "got there she hadn't eaten all day and nobody had noticed",
    # n03 a heading whose first word is an ordinary word
    "«KEEP:Draft» leaflet reviewed by the team on Tuesday. Comments back to «PERSON:Priya» by "
    "Friday.",
    # n04 a referral in capitals
    "REFERRAL FOR «PERSON:DOREEN HALLSWORTH» (82) FROM HER SON «PERSON:GARY». «KEEP:CONCERN»: "
    "MONEY GOING MISSING FROM HER PURSE.",
    # n05
    "«KEEP:Ward» staff said the call bell had been out of reach all night. The matron apologised.",
    # n06
    "«KEEP:Church» volunteers had been taking her to the shops, and she wanted that to carry on.",
    # n07
    "«KEEP:Will» the family be told before the meeting? «PERSON:Margaret Oduya» asked us twice.",
    # n08
    "«KEEP:Grace» periods for the rent arrears were agreed with the housing officer.",
    # n09
    "«KEEP:Bill» from the care agency was three times what she had agreed to pay.",
    # n10
    "«KEEP:Frank» conversations with the family helped; the son admitted he had been borrowing "
    "money.",
    # n11
    "«KEEP:Hope» is what kept me going, she said, and the visits from my granddaughter "
    "«PERSON:Amelia».",
    # n12
    "«KEEP:Sunny» days were the worst, because the carers took everyone into the garden except "
    "him.",
    # n13 a month and a modal verb
    "In «KEEP:May» she moved into the flat. She «KEEP:may» need more support once the winter "
    "comes.",
    # n14 a verb
    "«KEEP:Mark» the referral as urgent and copy in the duty social worker.",
    # n15 transcribed speech, a child
    "and then «PERSON:tyler» he's only six he was stood at the window watching all of it and "
    "nobody asked him if he was alright",
    # n16 Think Family
    "Think Family: her grandchildren «PERSON:Kai» (aged 4) and «PERSON:Poppy» (aged 7) stay "
    "every other weekend.",
    # n17 a double-barrelled name in lower case
    "spoke to «PERSON:sian lloyd-davies» who is the niece, she has power of attorney but has not "
    "used it",
    # n18 a Vietnamese name, family name first
    "Mr «PERSON:Nguyen Van Minh» said his son «PERSON:Bao» usually interprets for him, which he "
    "did not want this time.",
    # n19 nicknames
    "«PERSON:Baz» from the pub has been collecting her pension. She calls him our «PERSON:Bazzy».",
    # n20 staff with titles, in lower case
    "message from dr «PERSON:okonkwo» at the surgery: mrs «PERSON:fairclough» missed her last "
    "two appointments",
    # n21
    "Nurse «PERSON:Adeyemi» and Sister «PERSON:Byrne» were on shift when the bruising was found.",
    # n22 places and an organisation in lower case
    "she moved from «PLACE:wakefield» to «PLACE:pontefract» last year and goes to the "
    "«ORGANISATION:willows day centre» on mondays",
    # n23 transcribed speech, a district
    "i've lived in «PLACE:hunslet» forty years and i've never had any bother till «PERSON:dean» "
    "moved in upstairs",
    # n24 a flower
    "«KEEP:Rose» bushes in the front garden had been dug up, which upset her more than anything.",
    # n25 the same word as a name
    "«PERSON:Rose» told me she had not seen a carer since Sunday.",
    # n26 a text message in capitals
    "ITS «PERSON:MAUREEN» HERE I NEED SOMEONE TO RING ME ABOUT MY BROTHER «PERSON:STAN» HE "
    "«KEEP:WILL» NOT ANSWER THE DOOR",
    # n27 a lower-case name in a note otherwise cased
    "Visited «PERSON:harold pemberton-smythe», 91, with his carer «PERSON:joy».",
    # n28 transcribed speech, a Polish name
    "she said her name was «PERSON:agnieszka» and she came from poland to work at the car wash "
    "but they took her passport off her",
    # n29 the name and the verb
    "«PERSON:Will» said he would come on Thursday. He «KEEP:will» bring the paperwork.",
    # n30
    "«KEEP:Frank» and honest was how «PERSON:Joanne» described the meeting with the family.",
    # n31 a form in capitals
    "NAME: «PERSON:KWABENA ASANTE»\nDOB: «DATE_OF_BIRTH:14/03/1948»\nADDRESS: «ADDRESS:22 ELM "
    "ROAD», «PLACE:BRADFORD» «POSTCODE:BD3 9LT»",
    # n32 a nickname and a phone number in lower case
    "pls ring «PERSON:shaz» on «PHONE:07700 900 382» shes the one who found him",
    # n33 headings
    "«KEEP:Review» of the care plan agreed. «KEEP:Draft» discharge letter sent to "
    "«PERSON:Colin Ashworth» for comment.",
    # n34 transcribed speech
    "well my husband «PERSON:ray» he passed in the march and after that my nephew «PERSON:lee» "
    "started coming round more and he was ever so nice at first and then he wanted to borrow "
    "money off me",
    # n35 the name and the invoice
    "Her brother «PERSON:Bill» rang to say the «KEEP:bill» for the care home had not been paid.",
    # n36 transcribed speech, a young carer
    "the little one «PERSON:ellie» she's nine she does everything for her mum the shopping the "
    "tablets all of it",
    # n37 a teenager and a school
    "«PERSON:Jayden-Lee» (15) told his teacher at «ORGANISATION:Castleford Academy» that he was "
    "scared to go home.",
    # n38 Arabic names
    "«PERSON:Fatima Al-Sayed» and her daughter «PERSON:Noor» were seen together; «PERSON:Noor» "
    "interpreted until the advocate arrived.",
    # n39 Irish and Scottish names
    "«PERSON:Siobhán Ní Bhriain» and «PERSON:Eilidh MacPhail» attended from the community team.",
    # n40 a Polish name
    "«PERSON:Grzegorz Wójcik» said his employer kept his passport.",
    # n41 capitals inside a cased note
    "The note on the fridge said «PERSON:DENNIS» DO NOT LET HER OUT.",
    # n42
    "«KEEP:Faith» in the service had gone, she said.",
    # n43
    "«KEEP:Joy» was not a word she used about the home.",
    # n44 a nickname in lower case
    "big «PERSON:sue» from the flats has been taking his bank card",
    # n45 transcribed speech, a nurse
    "and nurse «PERSON:patience» she was lovely she sat with me all night",
    # n46
    "«KEEP:Patience» ran out on both sides by the third meeting.",
    # n47 a ward and a hospital
    "He was moved to «PLACE:Ward 9» at «ORGANISATION:Dewsbury District Hospital» overnight.",
    # n48 a hospital in lower case
    "she was taken to «ORGANISATION:pinderfields» by ambulance after the fall",
    # n49 capitals, a name beside an age
    "«PERSON:ARTHUR BRIGGS», 79, LIVES ALONE. SON «PERSON:NEIL» VISITS WEEKLY.",
    # n50 a child whose name is an ordinary word, first in the sentence
    "«PERSON:Grace» is fourteen and looks after her dad most evenings.",
    # n51
    "Her son «PERSON:Mark» said she had been falling more often.",
    # n52
    "my brother «PERSON:frank» never listened to anyone",
    # n53
    "Her neighbour «PERSON:May Thornton» kept a key.",
    # n54
    "«PERSON:Sunny Dhillon» from the housing team joined the call.",
    # n55 transcribed speech, a group and its organiser
    "we went to the «ORGANISATION:cornerstone» group on a tuesday and «PERSON:marcia» who runs "
    "it said she'd never seen anything like it",
    # n56 an email in lower case
    "you can email me «EMAIL:bev.h@example.com» its «PERSON:bev hartley» the daughter",
    # n57 an NHS number and a date of birth in lower case
    "nhs no «NHS_NUMBER:{nhs}» for «PERSON:winifred crabtree», dob «DATE_OF_BIRTH:2/2/1941»",
    # n58 an address and a postcode in lower case
    "new address is «ADDRESS:4 holly bank», «POSTCODE:hx3 6pq» from monday",
    # n59 plants
    "«KEEP:Holly» and ivy had grown over the back door, so the paramedics used the front.",
    # n60
    "By «KEEP:dawn» she had been on the floor for six hours.",
    # n61 police officers
    "DS «PERSON:Kaur» and PC «PERSON:Lomax» attended; «PERSON:Kaur» took the lead on the "
    "interview.",
    # n62 a councillor
    "Cllr «PERSON:Ifeoma Nwosu» asked how the learning would reach the board.",
    # n63
    "Dr «PERSON:Przybylski» reviewed the medication.",
    # n64 transcribed speech, "called"
    "there was this fella called «PERSON:tommo» he used to come round with cans",
    # n65 "my name is"
    "my name is «PERSON:precious mbeki» and i am his support worker",
    # n66 a heading in capitals
    "«KEEP:DRAFT» – NOT FOR CIRCULATION. Learning from the case of Mr «PERSON:Hussain».",
    # n67
    "«KEEP:Cash» was going missing from the tin in her wardrobe.",
    # n68
    "«KEEP:Brown» envelopes were piling up unopened behind the door.",
    # n69
    "«KEEP:Young» carers are often missed; «PERSON:Lily-Rose» (12) is one.",
    # n70 transcribed speech
    "my grandson «PERSON:connor» and his girlfriend «PERSON:chloe» they moved in after christmas "
    "and that's when it started",
    # n71 a town and a church
    "She grew up in «PLACE:Todmorden» and still goes to «ORGANISATION:St Mary's Church» there on "
    "a Sunday.",
    # n72 a place and a person in lower case
    "met «PERSON:lorraine» at the cafe in «PLACE:morley», she did not want to talk at home",
    # n73 transcribed speech, ordinary words
    "i «KEEP:will» ring you back i just «KEEP:hope» they listen this time it «KEEP:may» take a "
    "while",
    # n74
    "The «KEEP:bill» was paid in «KEEP:cash» and the «KEEP:brown» envelope went missing.",
    # n75
    "We need to «KEEP:mark» the anniversary carefully; «KEEP:May» is when her husband died.",
    # n76
    "«KEEP:Sunny» spells help his mood, his sister «PERSON:Lorna» said.",
    # n77 transcribed speech
    "the «KEEP:church» people were good to me and the «KEEP:ward» sister as well",
    # n78
    "To be «KEEP:frank», nobody read the «KEEP:draft» until the day of the panel.",
    # n79 the prayer
    "«KEEP:Grace» was said before lunch, which she did not like.",
    # n80 capitals
    "«KEEP:MAY» 2025 REVIEW – «KEEP:WARD» MANAGER TO «KEEP:MARK» ALL INCIDENTS ON THE LOG",
]

HELD_OUT = [
    # m01
    "seen «PERSON:mavis quarrendon», 84, at the day centre. her son «PERSON:clive» was there too",
    # m02 transcribed speech
    "so my sister «PERSON:tracey» said to me you can't let him keep doing this mum and i knew she "
    "was right but he's my son",
    # m03
    "«KEEP:Draft» minutes circulated to the panel; no changes from «PERSON:Oliver Ramsbottom».",
    # m04 capitals
    "CONCERN RAISED BY «PERSON:JULIE FENTON» ABOUT HER MOTHER «PERSON:IRIS» WHO IS 90 AND LIVES "
    "IN «PLACE:BATLEY».",
    # m05
    "«KEEP:Ward» rounds happen at ten, so families were asked to come after lunch.",
    # m06
    "«KEEP:Church» halls are where the drop-in is held now.",
    # m07
    "«KEEP:Will» anyone check on him over the weekend? That was all «PERSON:Sandra» wanted to "
    "know.",
    # m08
    "«KEEP:Grace» and dignity were missing from the way he was spoken to, the panel agreed.",
    # m09
    "«KEEP:Bill» payments came out of his account twice in one month.",
    # m10
    "«KEEP:Frank» discussion followed about who should have rung the police.",
    # m11
    "«KEEP:Hope» for a better outcome was the phrase the family used.",
    # m12
    "«KEEP:Sunny» afternoons he sat out on the bench with «PERSON:Walter».",
    # m13
    "«KEEP:May» was the month the direct payments stopped.",
    # m14
    "«KEEP:Mark» any unexplained bruising on the body map and tell the nurse in charge.",
    # m15 transcribed speech, a child
    "and little «PERSON:mason» he's seven he came and got me because his mam wouldn't wake up",
    # m16 Think Family
    "Think Family: «PERSON:Ruby» (3) and «PERSON:Alfie» (10) live with their father; "
    "«PERSON:Alfie» attends «ORGANISATION:Moorside Primary».",
    # m17
    "the son-in-law «PERSON:gareth rhys-evans» holds the purse strings apparently",
    # m18 Yoruba names
    "Mrs «PERSON:Oluwaseun Adeleke» was supported by her nephew «PERSON:Tunde».",
    # m19 nicknames
    "«PERSON:Gaz» keeps turning up at her door at night. Everyone on the estate calls him "
    "«PERSON:Gazza».",
    # m20
    "spoke with dr «PERSON:venkataraman» who agreed to review the sedation",
    # m21
    "Staff Nurse «PERSON:Obi» and Sister «PERSON:Kavanagh» completed the body map.",
    # m22 places in lower case
    "he was moved from «PLACE:dewsbury» to a flat in «PLACE:heckmondwike» without being asked",
    # m23 transcribed speech
    "i've been in «PLACE:seacroft» since the sixties and «PERSON:norman» next door looked out for "
    "me till he died",
    # m24
    "«KEEP:Rose» petals were all over the carpet where the vase had been thrown.",
    # m25
    "«PERSON:Rose» said she felt safer since the locks were changed.",
    # m26 a message in capitals
    "PLEASE CAN SOMEONE RING ME ITS «PERSON:LINDA MARSDEN» ABOUT MY DAD",
    # m27
    "Admitted: «PERSON:gwendoline ashby», 88, from home. Daughter «PERSON:pam» informed.",
    # m28 transcribed speech, a Romanian name
    "the man said his name was «PERSON:florin» and he was from romania and they were sleeping "
    "twelve to a house",
    # m29
    "«PERSON:Will» told the nurse he didn't feel safe going home.",
    # m30
    "She was «KEEP:frank» with us: she did not want her son involved.",
    # m31 a form in capitals
    "SURNAME: «PERSON:OKAFOR»\nFIRST NAME: «PERSON:CHIDI»\nD.O.B: «DATE_OF_BIRTH:09/09/1955»\n"
    "POSTCODE: «POSTCODE:LS8 2PQ»",
    # m32
    "text «PERSON:dionne» on «PHONE:07700 900 914» she knows the door code",
    # m33 headings
    "«KEEP:Summary» of actions. «KEEP:Draft» referral to the mental health team sent by "
    "«PERSON:Harriet Goodwin».",
    # m34 transcribed speech
    "after my wife «PERSON:brenda» went into the home my son «PERSON:steven» took over the bank "
    "cards and i didn't see a penny after that",
    # m35
    "«PERSON:Bill» and «PERSON:Edith Pollard» have been married sixty years.",
    # m36 transcribed speech, a child
    "our «PERSON:jade» she's eleven she said nan why is he shouting at you",
    # m37
    "«PERSON:Tia-Marie» (14) told the school nurse at «ORGANISATION:Ossett Academy» she was "
    "worried about her gran.",
    # m38 Pakistani names
    "«PERSON:Mohammed Iqbal Chaudhry» and his wife «PERSON:Shazia» were interviewed separately.",
    # m39 Irish and Welsh names
    "«PERSON:Caoimhe Ó Súilleabháin» and «PERSON:Dafydd ap Gwyn» from the review team met the "
    "family.",
    # m40 a Lithuanian name
    "«PERSON:Tomas Kazlauskas» had not been paid for six weeks.",
    # m41
    "The carer wrote «PERSON:ELSIE» WON'T EAT in the notes.",
    # m42
    "«KEEP:Faith» groups in the area were asked to share the leaflet.",
    # m43
    "«KEEP:Patience» and time were what the advocate gave her.",
    # m44
    "a lad they call «PERSON:mickey» has been staying at the flat",
    # m45 transcribed speech, a nurse
    "and this nurse «PERSON:blessing» she was the only one who explained anything",
    # m46 wards and a hospital
    "Transferred to «PLACE:Ward 22» and then to «PLACE:Elm Ward» at «ORGANISATION:Huddersfield "
    "Royal Infirmary».",
    # m47 a care home in lower case
    "she's been in «ORGANISATION:meadowcroft care home» since march",
    # m48 capitals, a name beside an age
    "«PERSON:ETHEL WAINWRIGHT» (93) – FALL AT HOME. DAUGHTER «PERSON:CAROL» AWARE.",
    # m49 a child whose name is an ordinary word
    "«PERSON:Grace» was only eight when her mum first went into hospital, and nobody asked her "
    "how she was.",
    # m50
    "her son «PERSON:mark» has been collecting her pension",
    # m51
    "Her daughter «PERSON:Hope» lives in «PLACE:Leeds» and visits monthly.",
    # m52
    "«PERSON:Sunny» rang from the agency to say nobody was available.",
    # m53 transcribed speech, a hospital
    "they had me at «ORGANISATION:st luke's» for three weeks and i never saw the same doctor twice",
    # m54
    "email is «EMAIL:k.mahmood@example.org» thats «PERSON:khalid» the nephew",
    # m55
    "patient «PERSON:dorothy kershaw» nhs «NHS_NUMBER:{nhs:plain}» born «DATE_OF_BIRTH:1936»",
    # m56
    "«KEEP:White» vans parked outside at night worried the neighbours.",
    # m57
    "«KEEP:Young» people in the house were not spoken to; «PERSON:Kacper» (16) said so himself.",
    # m58 transcribed speech
    "my granddaughter «PERSON:niamh» and her fella «PERSON:shane» they've been good to me",
    # m59 capitals
    "MOVED TO «PLACE:HALIFAX» LAST YEAR TO BE NEAR HER SISTER «PERSON:JOAN».",
    # m60
    "met «PERSON:yvonne» outside the library in «PLACE:rothwell» as she asked",
    # m61 transcribed speech, ordinary words
    "you «KEEP:will» tell me if anything changes won't you because i «KEEP:may» not be here "
    "next week",
    # m62
    "She paid the «KEEP:bill» in «KEEP:cash» every Friday at the post office.",
    # m63
    "«KEEP:Marks» on both arms were noted on the body map.",
    # m64 capitals
    "NO «KEEP:HOPE» OF A PLACE BEFORE «KEEP:MAY», THE MANAGER SAID.",
    # m65
    "«KEEP:Faith» leaders and «KEEP:church» groups were invited to the learning event.",
    # m66
    "We «KEEP:will» «KEEP:mark» the case as closed once «PERSON:Eleanor» agrees.",
    # m67 transcribed speech
    "the «KEEP:church» was the only place i felt safe and the vicar he «KEEP:will» tell you that",
]

# Written on a later day, after the figures on HELD_OUT had been read and its misses looked
# at (so HELD_OUT has informed the changes made since), and before any of those changes:
# FRESH is the name set that nothing has been tuned on.
FRESH = [
    # f01 a note typed on a phone, a name and an age
    "popped in to see «PERSON:winifred ashcombe» (91). her grandson «PERSON:reece» is staying "
    "with her at the moment and she says he takes her pension",
    # f02 transcribed speech, a relation after the name
    "and then «PERSON:darren» the lodger he started locking the fridge so i couldn't get at it",
    # f03 two names joined by and, the first also an ordinary word
    "«PERSON:Frank» and «PERSON:Maureen Oddie» asked for the meeting to be at their home.",
    # f04 capitals
    "REFERRAL FROM «PERSON:SHARON BEVERLEY» (NEIGHBOUR). «PERSON:MR PICKUP» NOT SEEN SINCE "
    "FRIDAY.",
    # f05 a Dutch surname with its particles
    "«PERSON:Pieter van der Berg» from the housing team joined the strategy meeting.",
    # f06 an Arabic name with bin
    "Her carer, «PERSON:Yusuf bin Hamid», noticed the bruising first.",
    # f07 a care home in lower case
    "she was moved to «ORGANISATION:oakfield lodge» without anyone asking her",
    # f08 transcribed speech, a hospital named after a saint
    "i was in «ORGANISATION:st mary's» for a fortnight and nobody told my daughter",
    # f09 a nickname
    "«PERSON:nana pat» looks after the kids on a saturday but she can't manage the stairs now",
    # f10 a child's name and age in capitals
    "THINK FAMILY: «PERSON:KAYDEN» (6) LIVES AT THE ADDRESS.",
    # f11 ordinary words at the start of a note
    "«KEEP:Review» of the care plan booked; «KEEP:Summary» to follow from «PERSON:Gita Raman».",
    # f12 ordinary words that are also names
    "The «KEEP:rose» bushes were cut back so the paramedics could get to the door.",
    # f13
    "«KEEP:Will» the family be told before the meeting? «PERSON:Agnieszka» asked.",
    # f14 transcribed speech, ordinary words
    "i had no «KEEP:hope» left by then and the «KEEP:bill» from the care home just kept coming",
    # f15 a day centre in lower case
    "he goes to «ORGANISATION:brookside day centre» three days a week",
    # f16 a surname alone, after a title, in lower case
    "rang dr «PERSON:okonkwo» at the surgery who said she'd review the meds",
    # f17 a Welsh name
    "«PERSON:Rhiannon ferch Emyr» is the independent advocate for the family.",
    # f18 a name in capitals in a text message
    "THIS IS «PERSON:LORRAINE» FROM NUMBER 9, CAN SOMEONE RING ME",
    # f19 transcribed speech, a place
    "we moved up to «PLACE:morley» when my husband got the job at the mill",
    # f20 ordinary words in capitals
    "«KEEP:GRACE» PERIOD ON THE RENT ENDS IN «KEEP:MAY».",
    # f21 a double-barrelled surname in lower case
    "spoke with «PERSON:helen parry-jones» about the safeguarding plan",
    # f22 transcribed speech, a name and what they are to the speaker
    "«PERSON:lisa» my support worker she was the only one who listened",
    # f23 an organisation in capitals
    "ALLEGATION INVOLVES A CARER FROM «ORGANISATION:BRIGHTER DAYS HOMECARE».",
    # f24 an ordinary word that is a surname
    "The «KEEP:young» people's service was not told about the risk.",
    # f25 transcribed speech, two first names
    "«PERSON:gary» and «PERSON:shaun» were in and out of the flat all hours",
    # f26 a Polish name with its accents, lower case
    "«PERSON:małgorzata» said she didn't want the police involved",
    # f27 ordinary words
    "«KEEP:Frank» conversations with staff helped; «KEEP:sunny» days in the garden did too.",
    # f28 a street in lower case
    "she lives at «ADDRESS:27 acacia avenue» with her brother",
    # f29 transcribed speech, a title and a surname
    "mrs «PERSON:hargreaves» from the council came round and she was very good actually",
    # f30 a name with an apostrophe
    "«PERSON:Siobhan O'Rourke» chaired the review.",
    # f31 capitals with a date of birth
    "«PERSON:DENNIS HOLROYD» DOB «DATE_OF_BIRTH:12/03/1941» – FALLS, SELF-NEGLECT.",
    # f32 ordinary words that are also names
    "«KEEP:Joy» at being home again was what she talked about most.",
    # f33 transcribed speech, a church
    "the lady from «ORGANISATION:st peter's church» used to bring me my dinner on a sunday",
    # f34 a name after "called"
    "there was a man called «PERSON:vince» who kept turning up asking for money",
    # f35 a heading
    "«KEEP:Draft» action plan shared with «PERSON:Tomasz Nowak» for comment.",
    # f36 transcribed speech, a relation then a name
    "my nephew «PERSON:callum» sorted it all out with the bank in the end",
    # f37 a name beside an age, typed fast
    "«PERSON:ivy», 88, lives alone, «KEEP:ivy» growing through the window frame noted",
    # f38 a Sikh name
    "«PERSON:Harjit Kaur Sandhu» attended as the patient's daughter.",
    # f39 capitals, a ward
    "TRANSFERRED FROM «PLACE:WARD 22» TO «ORGANISATION:FAIRVIEW NURSING HOME».",
    # f40 ordinary words
    "«KEEP:Mark» each entry with the time and who made it.",
    # f41 transcribed speech, a nickname
    "«PERSON:big john» from the pub he's the one that took her card",
    # f42 a surname only
    "«PERSON:Thwaite» refused to let the social worker in.",
    # f43 an email and the name in it
    "her email is «EMAIL:bev.stansfield@example.net», «PERSON:bev» reads it most days",
    # f44 capitals, ordinary word
    "SHE HAD NO «KEEP:HOPE» OF GOING HOME, SHE SAID.",
    # f45 lower case, a name after a verb that takes a person
    "asked «PERSON:roisin» whether she wanted an advocate and she said yes",
]
