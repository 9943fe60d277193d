"""Fictional demo narratives. Every person, place and organisation here is invented.

Each entry holds a narrative's fields as narratives.rules expects them, plus its
status. Some mention a fictional first name, street or town, so the redaction
work has something real-looking to find.
"""

from datetime import date

NARRATIVES = [
    {
        "case_reference": "SG-2025-0143",
        "title": "Being heard about the money",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Priya Nair (independent advocate, Brightwater Advocacy)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 4, 22),
        "captured_to": date(2025, 5, 6),
        "capture_method": "mixed",
        "has_consent": True,
        "consent_date": date(2025, 4, 22),
        "consent_recorded_by": "Priya Nair",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I wanted him to stop taking my pension, and I wanted to keep seeing my grandson. "
            "I did not want him in trouble with the police."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": "Grandson (aged 9) stays at weekends; son has a gambling problem.",
        "age_band": "75-84",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "complete",
        "body": """It was my son, you see. That's the hard part. It wasn't a stranger. Darren had my bank card for the shopping after my fall, and then the shopping stopped coming and the money kept going.

When the lady from the bank rang me I thought I'd done something wrong. Then a social worker came, and then another one, and I had to tell it all again each time. Nobody said why there was a new one. I felt like a parcel being passed about.

The first meeting, there were five of them round my kitchen table and they talked to each other, not to me. Words like "section 42" and "enquiry". I nodded because I didn't want to look stupid. Afterwards I cried, because I still didn't know if they were going to take Darren away.

What I wanted was simple. I wanted my pension back in my own hands and I wanted to keep seeing my grandson, Alfie. If Darren went to prison I'd lose Alfie too. Nobody asked me that at the start. Priya asked me. She was the first one who said, "What would you like to happen?" and then waited for me to answer.

After that it got better. They set up a card just for me with a small limit, and the bank rings me if anything odd happens. Darren is getting help for the gambling. I still see Alfie every Saturday.

If I could tell the staff one thing, it's this: ask me first, and ask me on my own. I can't say the truth with my son in the next room. And write things down for me in plain words, because I forget, and then I worry all night.""",
    },
    {
        "case_reference": "SG-2025-0143",
        "title": "A grandmother's carer on the same case",
        "narrator_type": "carer",
        "reason_not_direct": (
            "The person's home carer asked to give her own account; the person herself spoke "
            "separately in another narrative."
        ),
        "facilitator_name": "Priya Nair (independent advocate, Brightwater Advocacy)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 5, 13),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 5, 13),
        "consent_recorded_by": "Priya Nair",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "That she stays at home and that someone checks on her money every month.",
        "outcomes_achieved": "fully",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": "Carer noticed the grandson was anxious during visits.",
        "age_band": "45-54",
        "gender": "woman",
        "ethnicity": "black_caribbean",
        "disability": "no",
        "status": "complete",
        "body": """I'm the one who goes in mornings and teatimes. I noticed the fridge was empty three weeks running and she was wearing the same cardigan because she said she couldn't afford the launderette.

I raised it with my manager and I thought that was the end of my part. Nobody told me anything after. I kept going in, and I didn't know if I was supposed to say something to her son when he was there, or keep quiet. I felt like I was in the middle and nobody had told me the rules.

When the social worker finally rang me, she was lovely, but it was six weeks on. By then I'd been buying bits of shopping out of my own pocket. I know I shouldn't have.

What I'd want staff to hear is that carers see things first. We're in the house every day. A quick phone call back to say "we've got it, here's what happens next" would have stopped me lying awake.""",
    },
    {
        "case_reference": "SG-2025-0167",
        "title": "When home was not safe any more",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Grace Adeyemi (independent domestic abuse advocate, Safe Harbour Services)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 6, 3),
        "captured_to": date(2025, 6, 17),
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 6, 3),
        "consent_recorded_by": "Grace Adeyemi",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "To stay in my own flat and for him to leave. To not have to explain myself to every new person.",
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "Adult daughter lives in Leeds; she was not told, at the person's request.",
        "age_band": "65-74",
        "gender": "woman",
        "ethnicity": "asian_indian",
        "disability": "no",
        "status": "complete",
        "body": """Forty-one years we were married. People think abuse is young people. It isn't only young people.

He never hit me where anyone could see. It was more the shouting, and the money, and the way he'd look at me if I spoke to the neighbours. When I went to the GP about my chest, the doctor asked me, very gently, if everything was all right at home. That was the first time in years anyone had asked. I said yes. I said yes three times over two years. The fourth time I said no.

What helped was that she didn't push. She gave me a leaflet folded small so I could hide it in my purse, and she said I could come back any time. When I did go back she remembered me.

What was hard was the police. They came to the house and he answered the door, and they spoke to him first. I could hear him being charming. When they finally spoke to me he was in the next room. I couldn't say anything.

I wanted to stay in my own flat. Everyone kept offering me a refuge, in another town, away from my temple and my friends. Grace was the one who said, "Why should you be the one to leave?" Now he has moved to his brother's and there is an order.

Please, when you meet an older lady, don't assume. And please talk to us alone.""",
    },
    {
        "case_reference": "SG-2025-0178",
        "title": "My mother's last months in the home",
        "narrator_type": "family_member",
        "reason_not_direct": "My mother died in March 2025, before the safeguarding review finished.",
        "facilitator_name": "Owen Pritchard (external facilitator, Riverside Listening Project)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 7, 8),
        "captured_to": None,
        "capture_method": "video",
        "has_consent": True,
        "consent_date": date(2025, 7, 8),
        "consent_recorded_by": "Owen Pritchard",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "That no one else's mum is left like that. That the home is honest about what happened.",
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "Daughter and two grandchildren (adults) grieving; daughter had raised concerns twice.",
        "age_band": "85+",
        "gender": "woman",
        "ethnicity": "white_irish",
        "disability": "yes",
        "status": "complete",
        "body": """I'm speaking for Mam because she can't any more. She died in March, at Willow Court, and I want people to know what it was like for her, not only for me.

She was a proud woman. She'd always had her hair set on a Friday. In the last months I'd come in and she'd be in bed at two in the afternoon, with her call bell on the floor out of reach, and her water jug on the other side of the room. She had a sore on her heel that I found myself, when I was rubbing her feet. Nobody had mentioned it.

I told the nurse in charge, and she said they were very short that week. I believed her; I could see they were run off their feet. The second time, I wrote it down and I emailed the manager. That was when the safeguarding started.

What I want to say is that the staff weren't cruel. Some of them were kind to her. Ama used to sing to her in the evenings. But kindness isn't enough when there's two of them for twenty-six people.

The safeguarding people were good to me. One social worker, Lucy, explained every step, and rang me when she said she would. But by the time there was a plan, Mam was dying, and all the plan did was move her to a different wing.

I would like the home, and the people who pay the home, to hear that families notice. Please listen the first time.""",
    },
    {
        "case_reference": "SG-2025-0191",
        "title": "Keeping my things",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Mei Lin Chen (peer support worker, Open Door Collective)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 8, 12),
        "captured_to": date(2025, 8, 26),
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 8, 12),
        "consent_recorded_by": "Mei Lin Chen",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "Not to be put in a home. To choose what goes, one room at a time.",
        "outcomes_achieved": "fully",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "55-64",
        "gender": "man",
        "ethnicity": "white_british",
        "disability": "prefer_not_to_say",
        "status": "complete",
        "body": """They called it self-neglect. I call it my house.

[pause] I know it looked bad. The papers were up to the windows in the front room. But I knew where everything was. After my wife went I just... stopped being able to throw things away. Every letter was something.

The first lot who came, environmental health I think, they had masks on and they stood in the doorway and said the word "condemned". I shut the door on them. I'm not proud of it. But you don't come into a man's home and say that.

It was a year before anyone came back, and that time it was different. Mei Lin sat on the one clear chair and asked me about the photos on the wall. She asked what I wanted. I said I didn't want to go in a home and I didn't want strangers in skips. She said, all right, what about one room, and you choose.

We did the kitchen first. It took four visits. I kept her recipe book. [long pause] That mattered.

There were risks, I know. The fire officer came and fitted alarms and he was honest with me about what could happen. I respected that. He didn't frighten me, he just told me.

If I could tell them one thing: it's not laziness. Ask why before you ask what.""",
    },
    {
        "case_reference": "SG-2025-0204",
        "title": "What happened at the car wash",
        "narrator_type": "representative",
        "reason_not_direct": (
            "The person did not want his own voice recorded, fearing it could be recognised; he "
            "chose his support worker from a refugee charity to give his account from his notes "
            "and an interpreted conversation."
        ),
        "facilitator_name": "Tomasz Wójcik (interpreter and independent facilitator)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 9, 9),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 9, 9),
        "consent_recorded_by": "Tomasz Wójcik",
        "has_reflection_consent": True,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "To be safe from the men who brought him here, to work legally, and to send money home.",
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": "Wife and two children abroad; threats were made against them.",
        "age_band": "25-34",
        "gender": "man",
        "ethnicity": "white_other",
        "disability": "no",
        "status": "complete",
        "body": """He asked me to say it in his words as much as I can, so this is what he told me, with Tomasz interpreting.

"They said there was a job. They took my passport for 'the paperwork'. I slept in a room above the car wash with six men. Twelve hours a day, every day. They said I owed them for the travel and the room, and every week the debt was bigger, not smaller.

When the police came the first time, they asked questions in English. The boss stood next to me and answered for me. The police left. I thought: now they know and they don't care.

The second time was different. A woman came with an interpreter, and she took me away from the boss to a car and she said, you are not in trouble. I did not believe her for three days.

The hardest thing was not knowing what would happen to me. Every person said a different thing: the police, the council, the charity, the lawyer. I was afraid I would be sent back and the men would find my family.

Now I have a place to stay and a case worker. It is slow. But I am not afraid when I sleep."

He wanted staff to know that the first question should be asked alone, in his language, and that he needed one person to explain the whole process, not six.""",
    },
    {
        "case_reference": "SG-2025-0212",
        "title": "He said nobody else would want me",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Hannah Brooks (independent advocate, Brightwater Advocacy)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 9, 23),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 9, 23),
        "consent_recorded_by": "Hannah Brooks",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "not_sure",
        "desired_outcomes": "",
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "35-44",
        "gender": "non_binary",
        "ethnicity": "mixed_white_black_caribbean",
        "disability": "yes",
        "status": "complete",
        "body": """I use a wheelchair and he was my partner and also, in a way, my carer. That's what made it so hard to say anything. If I reported him, who would help me get up in the morning?

He never touched me in anger. He'd just... take my phone. Check my messages. Tell me I was lucky, that nobody else would want someone like me. After a while you start to believe it.

When I finally told my physio, she did the right thing, I think. But then there was a meeting about me and I wasn't invited. I found out afterwards. I know they were trying to protect me, but it felt like the same thing again: other people deciding.

Honestly I'm not sure if anyone asked me what I wanted. Maybe they did and I was too frightened to answer. Hannah asked me properly, weeks later.

The best thing anyone did was arrange a different carer for mornings, so I didn't need him. That gave me space to think.

I'd like staff to remember that disabled people are partners and lovers too, and that the person who helps us can be the person who hurts us.""",
    },
    {
        "case_reference": "SG-2025-0226",
        "title": "Ward 7 at night",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Dev Sharma (staff nurse, different directorate)",
        "is_facilitator_independent": False,
        "facilitator_relationship": (
            "Staff nurse from the community team; no involvement in the ward or in the "
            "safeguarding enquiry."
        ),
        "captured_from": date(2025, 10, 14),
        "captured_to": date(2025, 10, 21),
        "capture_method": "mixed",
        "has_consent": True,
        "consent_date": date(2025, 10, 14),
        "consent_recorded_by": "Dev Sharma",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "An apology, and for the night staff to be trained properly.",
        "outcomes_achieved": "fully",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "45-54",
        "gender": "man",
        "ethnicity": "black_african",
        "disability": "yes",
        "status": "complete",
        "body": """I was on Ward 7 for eleven weeks. Days were mostly fine. Nights were different.

There was a way of doing things at night that nobody questioned. Lights off at ten whether you were tired or not. If you came out to ask for a drink, you got told to go back to bed like a child. One night I asked for my PRN and the healthcare assistant said I was attention seeking and locked the quiet room so I couldn't sit in it.

I wasn't the only one. But the others were more unwell than me, and I thought, if I don't say something, nobody will.

I told my named nurse on the day shift. She looked worried and said she'd "pass it on". Two weeks later nothing had changed. So I wrote a letter to the ward manager and kept a copy.

After that, things moved. Someone from safeguarding came to see me, and she took me seriously. She explained that what I described was "organisational", which I thought was a strange word, like it was nobody's fault. She said no, it means it's the way the place works, and that's everyone's responsibility.

I got my apology, in writing. And I heard the night staff had new training. I'd like to know it's still different now, not just for a month.""",
    },
    {
        "case_reference": "SG-2025-0238",
        "title": "The neighbour's words",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Fatima Hussain (community advocate, Unity Voices)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 11, 4),
        "captured_to": None,
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 11, 4),
        "consent_recorded_by": "Fatima Hussain",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "For the council to move me, or to move him. To be believed.",
        "outcomes_achieved": "not_achieved",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": "Two grandchildren visit; the eldest heard the abuse and was frightened.",
        "age_band": "65-74",
        "gender": "man",
        "ethnicity": "asian_pakistani",
        "disability": "yes",
        "status": "complete",
        "body": """I have lived on Marsh Lane for twenty-two years. The new neighbour moved in last spring and from the first week it was the words. You know the words. Go home. Things through my letterbox.

I told the housing officer. She wrote it down. Then I told the police and they said it was a neighbour dispute. A dispute is when two people argue. I never said one word back to him.

My granddaughter was with me once when he shouted. She is seven. She asked me why the man hates us. What do you say to that?

Fatima came with me to the meeting, and she spoke Urdu with me first so I could say everything properly, and then she helped me say it in English. For the first time I felt someone was on my side.

They said they would look at a move. It has been eight months. I am still here. I keep my curtains shut now, even in the day.

I want the staff to know that it is not small. Words are not small when they come every day.""",
    },
    {
        "case_reference": "SG-2025-0245",
        "title": "The flat wasn't mine any more",
        "narrator_type": "advocate",
        "reason_not_direct": (
            "The person has a learning disability and asked his advocate to tell it with him; "
            "his own words are quoted where he wanted them used."
        ),
        "facilitator_name": "Ruth Oyelaran (independent advocate, Brightwater Advocacy)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 12, 2),
        "captured_to": date(2025, 12, 16),
        "capture_method": "mixed",
        "has_consent": True,
        "consent_date": date(2025, 12, 2),
        "consent_recorded_by": "Ruth Oyelaran",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": '"I want my flat back. I want friends that are real friends."',
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "His sister in Northfield is his main support; she had not been told of the concerns.",
        "age_band": "25-34",
        "gender": "man",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "complete",
        "body": """Jamie asked me to tell this with him, so where he said something he wanted kept, I've put it in his words.

Jamie has his own flat and he is very proud of it. Last summer some lads he met at the bus station started coming round. At first it was films and pizza. Then they were staying over. Then there were people he didn't know coming and going at all hours, and a lock on the back bedroom.

"They were my mates. Then they weren't. I had to sleep on the settee in my own house."

His support worker noticed his money was going and reported it. What Jamie remembers most is the first visit from the police, at night, with torches. "I thought I was the one in trouble."

Nobody explained in a way he could follow. The letters were long. He kept them in a drawer because he couldn't read them and he was embarrassed to ask. When I met him I read them with him and we made a picture timeline of what would happen next. That was the first time he knew.

Now the lads are gone, the locks are changed, and he has a new support plan. He still gets lonely. "I want friends that are real friends." That part isn't fixed yet.

He'd like staff to use easy read, and to ask him, not his support worker, what he thinks.""",
    },
    {
        "case_reference": "SG-2026-0011",
        "title": "Telling it forty years later",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Claire Donnelly (counsellor, Northgate Counselling Service)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 1, 13),
        "captured_to": date(2026, 2, 3),
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2026, 1, 13),
        "consent_recorded_by": "Claire Donnelly",
        "has_reflection_consent": True,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "To be believed, and to decide myself whether to go to the police.",
        "outcomes_achieved": "fully",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "55-64",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "no",
        "status": "complete",
        "body": """I have never written this down before.

It happened when I was a girl and it was someone in the church. I told my mother once and she slapped me. So I didn't tell anyone again for forty years.

When I was on the mental health ward last winter, a nurse asked me about my childhood, in the ordinary way they do, and something in me just broke open. I told her. I expected her to write it in the notes and move on.

She didn't. She sat with me. She said, "Thank you for telling me. Do you want this to go any further?" And she said I was in charge of what happened next. Nobody had ever said I was in charge of anything to do with it.

There was a safeguarding referral because the man might still be around children. I understood that. They explained it was about other people's safety and that I didn't have to give a statement unless I wanted to. I decided, after a month, that I did.

I don't want anyone to read the details. I only want staff to know that the way you react in the first minute decides whether a person ever speaks again.""",
    },
    {
        "case_reference": "SG-2026-0019",
        "title": "A residents' group on the move to the new unit",
        "narrator_type": "representative",
        "reason_not_direct": (
            "Several residents affected by the same concerns chose their residents' group chair "
            "to speak for them together; two residents lack capacity to take part directly."
        ),
        "facilitator_name": "Amira Haddad (external facilitator, Riverside Listening Project)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 2, 10),
        "captured_to": None,
        "capture_method": "video",
        "has_consent": True,
        "consent_date": date(2026, 2, 10),
        "consent_recorded_by": "Amira Haddad",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "That residents are told before decisions, not after. Meals at times that suit us.",
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "Families were told about the move by letter the same week.",
        "age_band": "",
        "gender": "",
        "ethnicity": "",
        "disability": "",
        "status": "complete",
        "body": """I chair the residents' group at Oak House. I'm speaking for eight of us, and I've checked every word with them.

When they closed the old unit, we found out from the cleaners. Not from the managers. We were moved in a week. Some of our people have dementia and they didn't know where they were for a fortnight. Mr Okonjo kept trying to find his old room.

The safeguarding started because one lady was found on the floor in the new bathroom, which didn't have the rails fitted yet. The staff were upset too; they hadn't been told either.

What went well: the safeguarding lead came to our meeting and sat through the whole hour. She didn't defend anything. She wrote down what we said and came back a month later with what had changed. Rails fitted. Call bells tested every week. That's how you do it.

What we want is to be told before, not after. We are adults. It's our home.""",
    },
    {
        "case_reference": "SG-2026-0027",
        "title": "Dad and the man who came to fix the roof",
        "narrator_type": "family_member",
        "reason_not_direct": "Dad has vascular dementia and could not follow a long conversation; he took part for the first ten minutes.",
        "facilitator_name": "Ben Whitaker (social worker from the hospital discharge team)",
        "is_facilitator_independent": False,
        "facilitator_relationship": "Social worker in a different team; was not involved in the enquiry.",
        "captured_from": date(2026, 3, 3),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2026, 3, 3),
        "consent_recorded_by": "Ben Whitaker",
        "has_reflection_consent": False,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "no",
        "desired_outcomes": "",
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "Son lives two hours away and feels guilty.",
        "age_band": "85+",
        "gender": "man",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "draft",
        "body": """Dad paid a man eleven thousand pounds for a roof that didn't need doing. The man came back four times. Each time there was something else.

I only found out because the bank stopped a payment and rang me, because I'm on his account as a second name.

Dad was embarrassed. He kept saying he'd been stupid. He's not stupid; he was an engineer for forty years. It's the dementia, and the man knew it.

The police were kind to Dad, but nobody asked him what he wanted to happen. They asked me. I'm still not sure what he'd have said.""",
    },
    {
        "case_reference": "SG-2026-0031",
        "title": "Withdrawn narrative",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Priya Nair (independent advocate, Brightwater Advocacy)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 3, 10),
        "captured_to": None,
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2026, 3, 10),
        "consent_recorded_by": "Priya Nair",
        "has_reflection_consent": True,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "",
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "",
        "gender": "",
        "ethnicity": "",
        "disability": "",
        "status": "withdrawn",
        "body": "The person later withdrew consent; this text is erased when the demo loads.",
    },
]
