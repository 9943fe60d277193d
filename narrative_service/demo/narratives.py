"""Fictional demo narratives. Every person, place and organisation here is invented.

Fourteen first-person accounts across twelve cases in financial year 2025/26, told
by the person themselves or, where that was not possible, by an advocate, carer,
family member or representative. Some mention a fictional first name, street or
town, so that redaction has something real-looking to find.
"""

from datetime import date

NARRATIVES = [
    # ------------------------------------------------------------------ Q1 (Apr-Jun 2025)
    {
        "case_reference": "SG-2025-0143",
        "title": "Being heard about the money",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Priya Nair (independent advocate, Fernbrook Advocacy Partnership)",
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
            "I wanted my pension back in my own hands and I wanted to keep seeing my grandson. "
            "I didn't want my son sent to prison."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Grandson (9) visits every Saturday; contact depended on the son, whose gambling "
            "was behind the financial abuse. Unpaid carer (neighbour) also affected."
        ),
        "age_band": "75-84",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "complete",
        "body": """I'll be honest with you, I didn't want to do this at first. I thought, what's the point, it's all over now. But Priya said it might help the next person, so here I am.

It was my son. That's the bit that still catches me. It wasn't some man on the telephone, it was Gary, my own lad. After I had my fall last winter he started doing my shopping, and I gave him my card because I couldn't get down to the post office. Then the shopping got less and less and I told myself the prices had gone up. Everybody says the prices have gone up.

It was the girl at the bank who noticed. She rang me and asked had I been in a bookmaker's in Ashbury four times that week. I laughed. I've never been in a bookmaker's in my life. Then I stopped laughing.

After that it was all people. A social worker came, a nice enough woman, then a different one came, and then a man from the police. Nobody told me why the first one stopped coming. I had to tell it all from the start every time, and every time it felt worse, like I was telling tales on my own child. I felt like a parcel being passed from one counter to the next.

The worst was the meeting. There were five of them round my kitchen table and they talked across me like I was the teapot. "Section 42", "the enquiry", "proportionate". I nodded along because I didn't want to look daft. When they'd gone I sat in the dark and cried, because I still didn't know whether they were going to put Gary in prison.

And then there were the letters. Two pages, small print, my name spelt wrong on one of them. I put them in the drawer. I couldn't face them.

What I wanted was simple really. I wanted my pension back in my own hands, and I wanted to keep seeing my grandson, Alfie. He comes on a Saturday, he's nine, we do the crossword together. Well, he does it and I tell him he's clever. If Gary went to prison I'd lose Alfie as well, because his mum and Gary aren't together and she'd have no reason to bring him. Nobody asked me about Alfie at the start. They asked me about the money, over and over, but not about what I was frightened of.

Priya was the first one who said, "What would you like to happen?" and then actually waited while I thought about it. She came on her own, she sat where I could see her face, and she wrote down what I said and read it back to me. That's all it took really. Somebody waiting.

After that things got better. The bank set me up with a card of my own with a limit on it, and they ring me if anything funny goes through. Gary's going to a group for the gambling. He's said sorry, for what it's worth. I haven't decided yet what it's worth. I still see Alfie every Saturday.

So it's half and half, I'd say. I've got my money and I've got my grandson. I haven't quite got my son back, and I don't know if that was ever something you lot could fix.

If I could say one thing to the staff, it's this. Ask me first, and ask me on my own. I couldn't say the truth with Gary in the next room pretending to make a cup of tea. And write things down for me in plain words, big enough to read, because I forget, and then I lie awake worrying about what I've forgotten.""",
    },
    {
        "case_reference": "SG-2025-0143",
        "title": "Not family, but there every day",
        "narrator_type": "carer",
        "reason_not_direct": (
            "The person gave her own account in a separate narrative on this case; her unpaid "
            "carer, a long-standing neighbour, asked to add her experience as a carer, and the "
            "person agreed."
        ),
        "facilitator_name": "Priya Nair (independent advocate, Fernbrook Advocacy Partnership)",
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
        "desired_outcomes": (
            "I wanted to know what the plan was and who to ring, so I could keep her safe, and "
            "I wanted somebody to tell me I wasn't under suspicion."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "The carer is not family but provides daily unpaid care; carer's assessment offered "
            "late. Grandson (9) visits weekly."
        ),
        "age_band": "75-84",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "complete",
        "body": """I've lived two doors down from her for thirty-one years. When her husband died I started popping in, and after her fall it was every day: breakfast, tablets, a bit of tea at night. I'm not paid, I'm not family, I'm just the one who's there. I think that's what made it hard, because in all of this I never knew what I was.

The first I knew anything was wrong was a police officer on my doorstep asking how long I'd had access to her bank card. I hadn't. I'd never touched it. But I could see on his face he'd already half made his mind up, and I went hot all over, like I was a thief. I'm sixty-eight years old. I've never had so much as a parking ticket. Nobody had told me there was any worry about money at all, so I had no idea what he was on about.

I understand now that they had to ask. I do. But nobody came back afterwards to say, 'We've looked into it, it wasn't you, thank you for everything you do.' I found out it was her son from her, over a cup of tea, weeks later.

Then there was the confidentiality. Every time I rang the office it was, 'I'm sorry, we can't discuss that with you.' Fair enough, it's her business. But I was the one giving her the tablets, I was the one who'd notice if Gary turned up again, and I didn't know if I was supposed to let him in. I didn't know if there was an order or a plan or anything. She'd forget what the social worker had said and ask me, and I'd have to say, 'I don't know, love.' I felt useless.

What would have helped is if somebody had sat down with the two of us together, with her say-so, and said, 'This is the plan, this is who to ring.' In the end it was Priya who did that. She asked her first if she wanted me there, and she said yes, and then for the first time I had a phone number on the fridge and I knew what I was meant to do if Gary came asking for money. It's such a small thing. It made all the difference to me.

Nobody asked how I was either, not until near the end. I was up at night worrying. I'd cancelled going to my sister's in Saltby because I didn't like to leave her. Somebody did eventually mention a carer's assessment, and I've had it now, and I get a sitting service one afternoon a fortnight, which is lovely. But it came at the end, when it would have been most use in the middle.

I don't want to sound ungrateful. She's safer now, she's got her money, and she's still got her grandson on a Saturday, which is what mattered to her most. I'd just say to the staff: the people like me, the neighbours and friends who do the caring, we're not in the way. We're often the ones who'll notice first. Tell us what we need to know to keep her safe, and if you have to ask us hard questions, come back afterwards and close the door properly.""",
    },
    {
        "case_reference": "SG-2025-0158",
        "title": "Fifty years is a long time to be quiet",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": (
            "Nisha Desai (independent domestic abuse advocate, Tidemark Advocacy), "
            "with a telephone interpreter"
        ),
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 6, 3),
        "captured_to": date(2025, 6, 17),
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 6, 3),
        "consent_recorded_by": "Nisha Desai",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I want to stay in my house, I want him to stop, and I want my grandchildren not to "
            "see any more of this."
        ),
        "outcomes_achieved": "fully",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Grandson (11) and granddaughter (7) live in the same house with their parents; the "
            "grandson heard the abuse. Husband now lives with the elder son; some of the wider "
            "family are angry with her."
        ),
        "age_band": "65-74",
        "gender": "woman",
        "ethnicity": "asian_indian",
        "disability": "no",
        "status": "complete",
        "body": """I was married at nineteen. I am seventy-one now. So you can count. Fifty-two years, and for most of them I did not have a word for what was happening in my house. In our language we would say he has a temper. That is all. Every wife knows about the temper.

When I went to the doctor for my shoulder, the young doctor saw the marks on my arm. She asked me, and I said I fell. She asked again, very gently, and she sent my husband out of the room to fetch a form from reception. I understood later that there was no form. That was clever. That was the first time in fifty years somebody made a door for me to speak through.

But after that it was difficult. The first time the social worker came, she brought an interpreter, a man from our community. I know his mother. I know his wife. How can I say these things in front of him? By next week the whole road would know. So I said everything is fine, and they went away, and I think they wrote that I did not want help. That was not true. I did not want help in front of him.

I told the doctor this when I saw her next, and after that they used a lady interpreter on the telephone, from a different city. Her voice was kind, and I could not see her face and she could not see mine, and this made it easier. I know some people would say that is strange. For me it was the right way.

People kept saying 'refuge'. Refuge, refuge. I am seventy-one with bad knees. I have lived in this house on Lavender Street for forty years. My garden is there, my mandir is there, my friends are there. Why should I be the one to leave? Nobody asked me this at first. They had a plan already before they asked me.

Nisha asked. She said, 'What do you want your life to look like?' I said: I want to stay in my house, I want him to stop, and I want my grandchildren not to see any more of this. Because they did see. My grandson is eleven. He heard the shouting through the wall and asked his mother, 'Why does Dada shout at Ba like that?' That is what made me go to the doctor in the end, if I am honest. Not for me. For him.

Now my husband lives with our elder son in Kettleford. The family was angry with me at first. Some are still angry. My daughter-in-law has stood with me, and I will not forget it. My son, I think he knew for a long time.

The police came once, and they were polite, and they asked if I wanted to make a statement. I said no. Nobody made me feel bad for saying no, and I was grateful for that. Later, when I was stronger, I was able to agree to the order that keeps him from coming to the house.

Some things I would say to your staff. Do not bring an interpreter who knows my family. Ask me first which interpreter I want, a man or a woman, near or far. Do not decide the plan before you ask me. Do not think that because I am old, I have already finished my life. I have perhaps fifteen years. I want them to be quiet ones, and now I think they will be.""",
    },
    {
        "case_reference": "SG-2025-0164",
        "title": "My wife's things and my things",
        "narrator_type": "advocate",
        "reason_not_direct": (
            "He chose not to be recorded and finds talking at length tiring; he asked his "
            "independent advocate to give his account, which they wrote together over three "
            "visits and he approved line by line."
        ),
        "facilitator_name": "Gwen Ashworth (Care Act advocate, Fernbrook Advocacy Partnership)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 6, 10),
        "captured_to": date(2025, 6, 26),
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 6, 26),
        "consent_recorded_by": "Gwen Ashworth",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I want to stay in my house. I want to be safe from fire, I'm not stupid. And I "
            "don't want anyone putting my wife's things in a skip."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": (
            "Adult daughter had stopped visiting because of the condition of the house; visits "
            "resumed during the plan."
        ),
        "age_band": "65-74",
        "gender": "man",
        "ethnicity": "asian_pakistani",
        "disability": "no",
        "status": "complete",
        "body": """He asked me to tell this rather than tell it himself. He said, 'You write nicer than I talk,' which isn't true, but he also said he didn't want his voice on a recording, and he was very clear he didn't want to sit in another room full of people. So we wrote this together over three visits at his kitchen table, the one clear surface in the house, and I read every line back to him. Where he said something in words I thought mattered, I've kept them in quotation marks.

He's seventy-two and he drove buses in Brackenmoor for thirty-four years. His wife, Nasreen, died four years ago. He said, 'After she went, I couldn't throw anything away. Not her things, then not my things either. Every carrier bag felt like I was putting her in the bin.'

It came to light when the fire service did a home safety visit after a neighbour complained. Within a month he had the fire service, environmental health, his housing association, his GP and a social worker all involved, and he told me he couldn't keep track of who was who. 'Five people, five letters, five different things they want from me. One says clear the hallway in fourteen days or you are in breach. One says we are worried about your wellbeing. Which one do I believe?'

He hates the word hoarding. He told me, 'It makes me sound like an animal in a nest.' He said the first worker who came walked in, looked around, and said, 'Right, we'll need a skip.' He asked her to leave. He was recorded as 'not engaging'. When I read that in his file he laughed and said, 'I engaged her right out of the door.'

What changed things, he said, was the second social worker, Callum, who came back four times and on the second visit just drank tea and asked about the buses. Then he asked him what he wanted. And he said: 'I want to stay in my house. I want to be safe from fire, I'm not stupid. And I don't want anyone putting Nasreen's things in a skip.'

They agreed a plan that he chose. A clear path from the bedroom to the front door first, because that was what the fire officer was most worried about. Smoke alarms, which he let them fit. Then one room at a time, at his pace, and he decides what goes. Nasreen's clothes went into boxes, labelled, in the back bedroom, and he gave some of her shawls to the women's group at the community centre. He said that was the day he cried for the first time since the funeral.

His capacity to make these decisions was assessed, and he has it. He said, 'They were surprised. I was not surprised.' He wanted staff to know that living the way he chooses is a risk he understands, and that being allowed to take it at his own speed is why it worked. He also wanted them to know it isn't finished. The kitchen is still difficult, and some weeks he goes backwards.

He'd like the housing association letters to stop using the word 'breach'. He'd like one person to be the one he calls. And he'd like the next person in his position to be asked about their life before anyone asks about their rubbish.

His daughter in Calderbridge hadn't visited for two years because she was upset by the state of the house. She came at Eid. He wanted me to put that in.""",
    },
    # ------------------------------------------------------------------ Q2 (Jul-Sep 2025)
    {
        "case_reference": "SG-2025-0171",
        "title": "My mother's last winter in the home",
        "narrator_type": "family_member",
        "reason_not_direct": (
            "Her mother died before the safeguarding review; her daughter gave this account of "
            "her mother's experience and her own."
        ),
        "facilitator_name": "Tom Brennan (independent advocate, Copperfield Independent Voices)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 7, 9),
        "captured_to": date(2025, 7, 23),
        "capture_method": "mixed",
        "has_consent": True,
        "consent_date": date(2025, 7, 9),
        "consent_recorded_by": "Tom Brennan",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "no",
        "desired_outcomes": "",
        "outcomes_achieved": "not_achieved",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Granddaughter (15) visited weekly, noticed her grandmother had stopped eating and "
            "later asked whether it was her fault for not saying sooner. Daughter was the main "
            "family contact and received letters addressed to her late mother."
        ),
        "age_band": "85+",
        "gender": "woman",
        "ethnicity": "white_irish",
        "disability": "yes",
        "status": "complete",
        "body": """My mother died on the fourteenth of February, which she would have thought was a bit much. She was ninety-one. She was born in County Mayo and she came over at seventeen to work in a hospital laundry, and she was never once in her life late for anything. I'm telling you that first because in all the paperwork that came afterwards she was 'the adult at risk' or 'the resident', and I want somebody to know she was Kathleen.

She went into Beechcroft after her second stroke, when I couldn't manage her at home any more. I still feel bad about that, though everyone tells me I shouldn't. The first year was fine. Then there was a new manager, and then there wasn't a manager, and then there were faces I didn't know every time I visited.

The things I noticed were small at first. Her water jug out of reach. Her glasses in the drawer, so she couldn't see the telly. Her hair not done, and Mam would never in her life have sat in a lounge with her hair not done. Then she lost weight, a lot of weight, and nobody said. Then the district nurse found the sore on her heel, and it was bad, and that was when the safeguarding started.

Here's the thing I keep coming back to. Mam could still talk then. Not much, she tired quickly, but she could tell you what she wanted if you waited. And as far as I know nobody ever asked her. They asked me. They asked the home. They wrote things down about her. Nobody sat on the end of her bed and said, 'Kathleen, what would you like to happen?' I think she'd have said, 'Don't be making a fuss, they're busy girls.' But then she might have said, 'I'd like my cup of tea hot for once.' She deserved the chance to say it.

The letters were the worst of it. I got one that began 'Dear Sir/Madam'. Then the outcome of the enquiry arrived three weeks after we buried her, addressed to her. To Mam. At the home. Somebody forwarded it. I sat in the car outside reading that the concerns had been 'substantiated' and I didn't know whether to laugh or scream.

I don't want to say everyone was bad, because that isn't true. There was a night carer, Blessing, who used to sing to her, and Mam loved her. When I told Blessing I'd raised a concern she cried and said, 'Good. Somebody has to.' I think the staff on the floor were doing their best with not enough of them. That isn't an excuse. It's just what I saw.

My own children were affected, too. My daughter is fifteen and she used to visit her nan every Sunday. She was the one who noticed Nan had stopped eating her biscuits. She asked me afterwards if it was her fault for not saying sooner. Nobody thought about her in any of this. I'd like them to.

What I want from this now is simple. I want the next Kathleen to be asked. And I want someone to pick up the telephone before they post a letter to a woman who has died.""",
    },
    {
        "case_reference": "SG-2025-0171",
        "title": "The residents' view when the enquiry came",
        "narrator_type": "representative",
        "reason_not_direct": (
            "The person at the centre of this case died before the review. The chair of the "
            "care home's residents' and relatives' group gave an account of how the enquiry felt "
            "for the other residents, with the family's agreement."
        ),
        "facilitator_name": "Tom Brennan (independent advocate, Copperfield Independent Voices)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 8, 6),
        "captured_to": None,
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 8, 6),
        "consent_recorded_by": "Tom Brennan",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "not_sure",
        "desired_outcomes": "",
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": (
            "Other residents and their relatives were unsettled by rumours during the enquiry; "
            "the residents' and relatives' group asked to be kept informed."
        ),
        "age_band": "85+",
        "gender": "woman",
        "ethnicity": "white_irish",
        "disability": "yes",
        "status": "complete",
        "body": """I should say at the start that I didn't know the lady concerned well. We sat at different ends of the lounge and she was poorly for most of the time I've been here. So I can't speak for her, and I wouldn't try. What I was asked to do, as chair of the residents' and relatives' group, was to say what it was like for the rest of us while all this went on around us. Her daughter was asked and said she was content for me to do so.

The first thing was that nobody told us anything. One week there were people in the corridor with lanyards and clipboards, looking into the bedrooms, and we hadn't the faintest idea who they were. Mrs Pryce in the room next to mine was convinced they'd come to close the home and put us all on the street. She didn't sleep for a week. I'm ninety next birthday, I've been a headmaster and a magistrate, and even I found myself lying awake wondering where I'd go.

Rumours do terrible things in a place like this. There's not a great deal else to do. By the Friday the story in the lounge was that someone had been murdered. I exaggerate slightly, but not much.

The staff were frightened too. You could see it. The regular carers stopped chatting, stopped sitting with us, I suppose in case they said the wrong thing. Some of them left, and the agency people came, and the agency people didn't know that I take my tablets with milk, not water, or that Arthur on the first floor can't hear on his left side. So for a while, and I say this carefully, the investigation into poor care made the care poorer.

Now, the good part, because there is one. After about a month a woman from the council, the safeguarding side, asked the home to call a residents' meeting. She came herself, she stood at the front without any slides, and she said, 'I can't talk about one person, but I can tell you what we're doing and why.' She used plain English. She took questions for an hour. Someone asked if the home was closing and she said no, not unless things failed to improve, and she'd tell us herself if it came to that. That was the first straight answer any of us had had.

Since then there have been changes we can see. Water jugs are filled on every round and someone signs the sheet. There's a board by the lift that says 'You said, we did', which I find slightly patronising as a phrase but very useful as a practice. We asked for the call bells to be checked, and they are. We asked to have a say in who the new manager would be, and two of us sat on the interview panel, which I don't think has happened before.

My suggestion would be this. When you come into a care home to look into something, remember that it's somebody's home. Dozens of people's homes. Tell us who you are. Tell us what you can, early. We are old, most of us, but we are not furniture, and we notice everything.""",
    },
    {
        "case_reference": "SG-2025-0189",
        "title": "What happened at the car wash",
        "narrator_type": "representative",
        "reason_not_direct": (
            "He moved to safe accommodation out of the area and feared that a recording of his "
            "voice could reach the people who exploited him; he asked his support worker to give "
            "his account, which was interpreted and read back to him before he agreed it."
        ),
        "facilitator_name": "Declan Hughes (external facilitator, Orchard Gate Listening Service)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 8, 27),
        "captured_to": date(2025, 9, 3),
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 9, 3),
        "consent_recorded_by": "Declan Hughes",
        "has_reflection_consent": True,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "not_sure",
        "desired_outcomes": (
            "I want to work properly and be paid, send money home, and know my daughter and my "
            "mother are safe."
        ),
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "His daughter and mother live abroad; threats against them were used to control him "
            "and fear for them remains his main concern."
        ),
        "age_band": "25-34",
        "gender": "man",
        "ethnicity": "white_other",
        "disability": "prefer_not_to_say",
        "status": "complete",
        "body": """I'm his support worker, and I've been asked to give his account because he isn't able to give it himself in this way. He has moved to safe accommodation a long way from here, and he's frightened that anything recorded in his voice could find its way back to the men who controlled him. He sat with me and an interpreter over two afternoons, told me what he wanted said, and I read it back to him through the interpreter before he agreed it. I have tried to keep his words, and where I can't, I've said so.

Florin is thirty-one. He came to the UK because a man in his home town offered him a job with a wage, a room and help with his papers. When he arrived, his passport was taken 'for safekeeping'. He was put to work at a hand car wash on the Kettleford ring road, twelve hours a day, seven days a week. He slept in a room above a tyre shop with five other men. He was told he owed money for his travel, his bed and his food, and the debt only ever went up. He said: 'Every week I work more, every week I owe more. This is not a job. This is a hole.'

He told me he didn't think of himself as a slave. He said, 'A slave has chains. I had a phone. I could walk to the shop.' But he couldn't leave, because they knew where his mother lived, and he has a daughter at home, and the men told him what would happen to them. That fear is still with him now, more than anything else.

When the police came it was early in the morning, lots of officers, lots of shouting. He thought he was being arrested, and for several hours he was treated, in his words, 'like I was the criminal'. He was asked about his immigration status before anyone asked if he was hurt or had eaten. He said the first person who was kind to him was a woman from the council who brought him a coat and a sandwich and said, through a telephone interpreter, 'You are not in trouble.' He asked me to make sure you know how much that sentence mattered.

After that came a lot of agencies. Police, the council, a doctor, the Home Office process, us. He was given leaflets in English. He had to tell his story again and again, and each time he worried that if a detail came out slightly different, he would be called a liar. He said, 'I don't know who is police and who is help. Everybody has a lanyard.' I'm honestly not sure anyone asked him, early on, what he wanted to happen. He doesn't remember being asked.

What he wants, he told me, is to work legally and be paid properly, to send money home, and to know his daughter and mother are safe. He did not want to be a witness at first because he was afraid. He has since agreed to give evidence because, he said, 'the other men are still there, somewhere, washing cars.'

We are still waiting for a decision on his case. He is living safely, he is learning English at college two mornings a week, and last month he phoned his daughter on her birthday. He asked me to end with this: 'Tell them to ask first if I am hurt. Then ask the other questions.'""",
    },
    # ------------------------------------------------------------------ Q3 (Oct-Dec 2025)
    {
        "case_reference": "SG-2025-0203",
        "title": "Getting my own life back",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Marcus Bell (independent advocate, Fernbrook Advocacy Partnership)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 10, 1),
        "captured_to": None,
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 10, 1),
        "consent_recorded_by": "Marcus Bell",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I wanted my life to be mine again. I didn't want him prosecuted, I just wanted him "
            "gone, and I needed my care sorted first so I wasn't left with nobody."
        ),
        "outcomes_achieved": "fully",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": "Sister now holds a key and is part of his safety plan.",
        "age_band": "45-54",
        "gender": "man",
        "ethnicity": "mixed_white_black_caribbean",
        "disability": "yes",
        "status": "complete",
        "body": """I'm a forty-eight-year-old bloke in a wheelchair. I used to run a warehouse. I'm telling you that because for a long time I didn't think what was happening to me counted as abuse. Abuse was something that happened to women, or to old people, or to people who got hit. Craig never hit me. Not once. He didn't need to.

It started small, after my MS got worse. He'd take charge of my tablets, which made sense at first, because my hands are bad. Then he'd 'forget' to give me them if I'd annoyed him. He'd move my phone out of reach. He went through my messages and told my mates I was too tired for visitors, and after a while they stopped asking. He'd tell me, in a nice voice, that I was lucky he stayed, that nobody else would put up with me, and that if I complained he'd go and I'd end up in a home. I believed him. That's the thing. I believed every word.

It was my OT who noticed. She came to look at a new hoist and Craig hovered in the doorway the whole time, answering for me. At the end she said she needed to check something in the bathroom and could I show her, and when we were in there she asked me straight out if I was all right at home. I said yes. She gave me a card anyway and said, 'You don't have to do anything with this.' I kept that card in my wallet for three months.

When I finally rang, I got mixed up in a lot of different services. The police asked if I wanted to press charges. I didn't, I just wanted him gone. The domestic abuse service was brilliant, but the first leaflet they gave me had a picture of a woman with her head in her hands, and I nearly put the phone down. One social worker kept calling Craig 'your friend' or 'your carer', even though I'd told her twice we'd been together eleven years. It sounds small. It made me feel she didn't really understand what he'd taken from me.

Then Shona from the domestic abuse service asked me what I actually wanted. Not what they thought was safest. I said I needed a few weeks to sort things before he left, because I was scared of being on my own with no care. Some of the professionals weren't happy about that. They thought I should go somewhere that night. But they listened in the end, and we made a plan. Care visits were set up in my name, so I wasn't depending on him. My sister got a key. I had a code word to text her. And when the care was in place, I asked him to leave, with a police officer in the room, which I'd asked for.

That was the spring. I live in the same flat. I have my own tablets in a box I can open. My mates come round on a Thursday and we watch the football and they take the mick out of me, like they used to.

If you want a lesson from me, it's this. Men get this too, and so do gay men, and disabled people get it in ways that are hard to see, because the person controlling you is also the person keeping you going. Ask us on our own. Give us a bit of time. And believe us when we tell you what we want.""",
    },
    {
        "case_reference": "SG-2025-0217",
        "title": "The rules on the ward",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Sade Adeyemi (staff nurse, Rowan Ward)",
        "is_facilitator_independent": False,
        "facilitator_relationship": (
            "Ward nurse on a different team; no involvement in the safeguarding enquiry or in "
            "the person's care."
        ),
        "captured_from": date(2025, 11, 4),
        "captured_to": date(2025, 11, 18),
        "capture_method": "video",
        "has_consent": True,
        "consent_date": date(2025, 11, 4),
        "consent_recorded_by": "Sade Adeyemi",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": True,
        "were_outcomes_asked": "no",
        "desired_outcomes": "",
        "outcomes_achieved": "not_yet_known",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Her son (6) stayed with his grandmother during the admission; bedtime calls were "
            "stopped by the blanket rule on phones."
        ),
        "age_band": "25-34",
        "gender": "woman",
        "ethnicity": "mixed_white_asian",
        "disability": "yes",
        "status": "complete",
        "body": """I want to start by saying I know I was really unwell when I went in. I'm not pretending I was easy to look after. I'd stopped sleeping, I was hearing things, and my mum was frightened for me, which is why I agreed to go in. So this isn't me saying I shouldn't have been there. It's about what it was like once I was.

On Larch Ward there were rules for everything, and the rules were the same for everyone whether they made sense or not. Phones handed in at the desk at nine, for everyone. Hot drinks stopped at half nine. You weren't allowed in your bedroom between ten and four, so if you felt awful you had to be awful in the lounge in front of everyone. When I asked why, the answer was always 'ward policy'. Nobody could show me the policy.

At night they checked on us every hour, which I understand, but some of the staff opened the door and shone a torch right in my face. Every hour. I didn't sleep for days, and then it was written in my notes that I wasn't sleeping, as if it was my illness.

The bit I find hardest to talk about is when I got upset about my phone. I wanted to ring my little boy to say goodnight. He was staying with my mum, he's six. They said no, it was after nine. I got loud. I know I got loud. And then there were four staff I'd never seen before, agency I think, and I was taken to the floor. I don't want to go into it. I wasn't badly hurt. But I was frightened and ashamed, and nobody talked to me about it afterwards, not properly, not once.

When I complained, I could feel it being written down as part of being ill. 'Patient making allegations about staff.' Like that's a symptom. It was my advocate, the IMHA, who raised it as a safeguarding, and I think that's the only reason anyone looked at it properly. I'd never have known how. And nobody ever asked me what I wanted to come out of it. I'd have said: explain the rules, let me ring my son, and say sorry.

I want to say some good things too, because they matter. There was a healthcare assistant called Marcia who used to sit with me at night and let me talk about my son. She got a photo of him printed off at the desk for me. That photo got me through. And after the safeguarding, the ward manager came to see me at home, which I did not expect, and said sorry to my face. She didn't make excuses. She said the rules had been there for the staff's convenience and not for us, and they were changing them.

I've heard since that phones are now looked at person by person, that there's a community meeting every week where patients can say what's not working, and that restraint is talked through with the patient afterwards. I hope that's true. I hope someone checks it's still true in a year.

What I'd want staff to hear is this. When someone's unwell, they're still a person with a child and a life outside. Explain the rules, and if you can't explain them, ask yourself why you've got them. And when someone complains, don't just write it down as a symptom. Sometimes we're ill and right at the same time.""",
    },
    {
        "case_reference": "SG-2025-0229",
        "title": "Telling it late",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": (
            "Ruth Okonjo (independent sexual violence adviser, Lanternfield ISVA Service)"
        ),
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 12, 2),
        "captured_to": date(2025, 12, 16),
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2025, 12, 16),
        "consent_recorded_by": "Ruth Okonjo",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I wanted only women doing my personal care, and I wanted him stopped so he couldn't "
            "do it to anybody else."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": False,
        "think_family_notes": "",
        "age_band": "55-64",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "complete",
        "body": """[Recorded over two sittings at her home. Words in square brackets are my notes as facilitator. She chose where to start and where to stop.]

I don't know where to start. [pause] Ruth said start anywhere. So.

It was three years ago. Nearly three and a half. He was one of the carers from the agency, he did my mornings. Washing, dressing. You need someone for that when you're like me, you can't, you just can't do it yourself. So you let them. You have to let them.

[long pause]

I'm not going to say what he did. I've said it to the police and that's, that's where it can stay. He said nobody would believe me. He said I should be grateful anyone would come.

[She asked to stop for a cup of tea. We carried on after about ten minutes.]

Why didn't I say? Everybody wants to know that. The police lady asked it, she didn't mean it nasty, but she asked it. Why didn't you tell anybody at the time. Because I needed washing the next morning. Because if I complained, the agency might stop coming, and who else would come. Because he'd been nice to my mum on the phone. Because I thought it was partly my fault for, I don't know. For needing it.

[long pause]

It was Jan, the district nurse, that I told in the end. She was doing my dressing and she just said, 'You've gone very quiet when I mention the agency.' And it all came out. She didn't look shocked. She didn't stop doing the dressing, which sounds daft, but I think if she'd stopped and stared at me I'd have taken it back. She just said, 'Thank you for telling me. I believe you. I have to pass this on, and I'll tell you exactly who to.' And she did. She wrote the names down for me.

After that some bits were good and some were awful. The social worker asked me if I wanted only women doing my personal care from now on. Yes. God, yes. That happened the next week. She asked what else I wanted and I said I wanted him stopped, so he couldn't do it to somebody else. She explained about the barring, the list, and she told me when it went in.

The awful bit was the letter from the police. [speaking more quietly] Six months of nothing and then a letter. No further action. Nobody rang. I opened it on my own on a Saturday morning. I thought, that's it then, they didn't believe me either. Ruth explained to me afterwards that it doesn't mean that. It isn't the same as not being believed. But nobody told me that before the letter came.

[pause]

He's on the barred list now. I know that. I got a phone call about that one. So he can't do it to anybody else, not in care anyway. That matters to me more than court.

What would I tell the staff. [long pause] Ask. Ask the question, like Jan did, gently, while you're doing something ordinary. And if you've got bad news, ring. Don't let a letter do it.

[She said she wanted to stop here, and that this was the end.]""",
    },
    # ------------------------------------------------------------------ Q4 (Jan-Mar 2026)
    {
        "case_reference": "SG-2025-0241",
        "title": "What the neighbour called my dad",
        "narrator_type": "family_member",
        "reason_not_direct": (
            "He chose to have his son speak for him: he had told his account to several agencies "
            "and did not want to tell it again or hear it in his own voice. He read and approved "
            "this account."
        ),
        "facilitator_name": "Tom Brennan (independent advocate, Copperfield Independent Voices)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 1, 13),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2026, 1, 13),
        "consent_recorded_by": "Tom Brennan",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "I want to sit in my garden. I don't want to move. I've been here longer than him."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Grandchildren (10 and 7) stopped visiting for nearly a year after the eldest heard "
            "the neighbour shouting and had nightmares. Son co-ordinated contact with four "
            "agencies."
        ),
        "age_band": "75-84",
        "gender": "man",
        "ethnicity": "black_caribbean",
        "disability": "yes",
        "status": "complete",
        "body": """My father asked me to tell this. He said, 'I've told it to the police, I've told it to the housing, I've told it to the doctor, and I've told it to a lady from the council. I don't want to tell it again, and I don't want to hear it in my own voice.' So it's me, his son. He's read it. Where I've got his words, I've put them in.

My dad came here from Jamaica in 1961. He worked on the railways for thirty-eight years. He's lived on Cedar Grove in Hollins Vale since 1979, longer than anyone else on the street. He's eighty-four, his hips are bad and his eyes aren't what they were, and he's lived on his own since Mum died.

About two years ago a new neighbour moved in next door. I won't repeat what he called my dad. I'll just say it started with remarks over the fence and went on to shouting at the window late at night, and things pushed through the letterbox. My dad stopped sitting in his front garden, which he'd done every summer evening of my life. He stopped going to the shop at the end of the road. He started keeping the curtains shut in the day.

When we reported it to the police, the first officer called it a 'neighbour dispute'. A dispute. Like they were arguing about bins. The housing association offered 'mediation'. I had to explain to my father what that meant: that they wanted him to sit in a room with this man and find common ground. He said to me, 'Common ground? The man doesn't think I'm a human being.' I've never seen him so hurt, and he's been through a lot in his life.

It was his GP who made the difference. Dad went in about not sleeping, and the GP asked why, and Dad told her. She said, 'That's not a dispute, that's racist abuse,' and she raised a safeguarding concern. After that it moved. A social worker came who asked Dad what he wanted. He said, 'I want to sit in my garden. I don't want to move. I've been here longer than him.'

Not everything was good. We had letters full of words like 'discriminatory abuse' and 'section 42' and 'multi-agency'. Dad asked me if 'discriminatory' meant they thought he was the one being unfair. And there were too many people. For a while I was ringing four different numbers, and each of them thought someone else was dealing with it.

But the housing officer, Lorna, she was good. She went round herself, she took it seriously, and she rang us every week even when there was nothing new to say. In the end the neighbour was given an injunction, and later he moved out.

My children used to go to their grandad's every Sunday. For nearly a year we stopped, because my eldest, she's ten, heard the man shouting one afternoon and had nightmares for weeks. Nobody asked about them. I'd like somebody to think about the grandchildren next time.

Dad sits in his front garden again now. Not every evening. Some evenings. He says, 'I'm getting my nerve back.' So I'd call it half a result. What I'd say to staff is this: call it what it is. When you call racism a dispute, you're telling the person it's half their fault. And my father has never been half at fault for anything in his life, not that I've seen.""",
    },
    {
        "case_reference": "SG-2026-0012",
        "title": "They were his mates, he said",
        "narrator_type": "carer",
        "reason_not_direct": (
            "He has a learning disability and found two attempts to tell it himself too much; he "
            "asked his mum, who is his carer, to tell it, and some of his own words are included. "
            "The draft is waiting to be read back to him in easy read before he agrees it."
        ),
        "facilitator_name": "Kerry Lomas (community learning disability nurse)",
        "is_facilitator_independent": False,
        "facilitator_relationship": (
            "Community learning disability nurse who has known the family for three years; not "
            "part of the safeguarding enquiry."
        ),
        "captured_from": date(2026, 1, 27),
        "captured_to": date(2026, 2, 10),
        "capture_method": "mixed",
        "has_consent": True,
        "consent_date": date(2026, 1, 27),
        "consent_recorded_by": "Kerry Lomas",
        "has_reflection_consent": True,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "They were my mates. I didn't want them to get in trouble. I just wanted my flat back "
            "and my Xbox back and my money."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": True,
        "think_family_notes": (
            "Younger sister (14) knew some of the young men from school and was frightened to walk "
            "home; nobody considered her until their mother raised it."
        ),
        "age_band": "18-24",
        "gender": "man",
        "ethnicity": "white_british",
        "disability": "yes",
        "status": "draft",
        "body": """I'm Jordan's mum and I'm his carer, and I'm telling this because he tried twice to do it himself and found it too much. The second time he got up and went to make a sandwich in the middle and didn't come back. That's how he tells you he's had enough. He's asked me to do it, and he's put a few bits in himself, which I've written down the way he said them.

Jordan is twenty-two and he has a learning disability. He got his own flat on Mill Lane last year and he was so proud. He'd show everyone the key. I was terrified, if I'm honest, but he wanted it so much, and his social worker said it was his right, and she was right, it was.

About four months in, he started talking about his new mates. He'd met them outside the chip shop. They came round to play on his Xbox. Then they were staying over. Then there were more of them. When I rang, he'd say he was busy. When I went round, someone I didn't know answered his door and said he was asleep, at three in the afternoon. His money was going out the day it went in. His phone was always 'lost'.

I rang everyone. I rang the police and they said he's an adult, there's no crime. I rang housing and they said they'd had complaints from the neighbours about the noise and the coming and going, and Jordan might be in breach of his tenancy. Breach. Like it was him. I rang his social worker and she was off sick and nobody rang back for nine days.

Then the police raided the flat. Jordan was arrested along with the rest of them. He was in a cell for eleven hours. He didn't understand what was happening. Nobody got him an appropriate adult for the first four hours. When I finally got to him he said, 'Mum, I haven't done anything wrong, have I?'

There was one officer, PC Dan, who got it. He'd been on a course about cuckooing, and he sat with Jordan and said, 'You're not in trouble, mate, you're the one who's been had.' He was the one who put it in as a safeguarding. After that things got better. The social worker came back and sat with Jordan, not with me, and asked him what he wanted.

Jordan said, and I've got it written down: 'They were my mates. I didn't want them to get in trouble. I just wanted my flat back and my Xbox back and my money.'

He got his flat back. They put in a new door and an entry system. He has a support worker three times a week who helps with his money, and he chose her himself out of two people. There was a big meeting about whether he should come home to live with us, and Jordan said no, and they listened to him. I was cross at the time, but I think they were right. It's his life.

What nobody asked about was his sister. Kayleigh's fourteen. Some of those lads knew her from school, and for a while she was scared to walk home. Nobody thought about her till I brought it up.

And the letters. Jordan can read a bit, but the letters were pages long. He asked for easy read and he got one, eventually, after three months.

He's lonely now. That's the truth. Those lads were awful, but they were company. If I could ask for one thing, it's help for him to find real friends. Jordan wanted me to finish with his bit: 'I'm doing good now. Tell them I can do it myself.'""",
    },
    {
        "case_reference": "SG-2026-0020",
        "title": "Talk to me, not over me",
        "narrator_type": "advocate",
        "reason_not_direct": (
            "He has severe expressive aphasia after a stroke; his advocate gives the account he "
            "communicated through picture cards, a yes/no board, gesture and single written "
            "words, with his speech and language therapist present."
        ),
        "facilitator_name": "Gwen Ashworth (Care Act advocate, Fernbrook Advocacy Partnership)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 2, 17),
        "captured_to": date(2026, 3, 3),
        "capture_method": "mixed",
        "has_consent": False,
        "consent_date": None,
        "consent_recorded_by": "",
        "has_reflection_consent": False,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": (
            "Different carers, and to meet them first. To be moved properly. To be spoken to "
            "directly and given time. My own letters, short, with pictures. To stay at home with "
            "my wife."
        ),
        "outcomes_achieved": "partially",
        "are_children_affected": False,
        "are_family_affected": True,
        "think_family_notes": (
            "His wife works night shifts; she was treated as the main contact, received his "
            "letters and covered missed care calls."
        ),
        "age_band": "55-64",
        "gender": "man",
        "ethnicity": "black_african",
        "disability": "yes",
        "status": "draft",
        "body": """I'm his advocate. He has severe expressive aphasia after a stroke last year: he understands most of what is said to him, especially if it's said slowly and one thing at a time, but he can only say a few words, and they don't always come out as the word he means. We worked on this over three sessions with his speech and language therapist, using picture cards, a yes/no board, gesture, and some single words he wrote with his left hand. What follows is my account of what he told me. Where he wrote or said a word himself, I've put it in quotation marks exactly as he gave it.

This is a draft. We haven't yet been able to confirm, in a way we are both sure of, that he agrees to it being shared, and we will go through it again with him before anyone else reads it.

Before the stroke he was a civil engineer. He told me he built bridges by drawing one on the back of a card and pointing to himself. He is fifty-eight. He was born in Kumasi and has lived in this country for thirty years.

When I asked him what had happened with the care agency, he pointed to the picture for 'fast' and then tapped the table twice, hard. His calls were meant to be forty-five minutes. Some were fifteen. Carers he didn't know arrived and pulled him up from the bed by his arms, including the side that doesn't work, and he showed me on his shoulder where it hurt. When I held up the card for 'hurt' he pressed it down flat. Some days the lunchtime call didn't come at all, and he sat in the same chair until his wife got home from her shift.

What upset him most, I think, wasn't the pain. It was being spoken about as if he wasn't there. He wrote, slowly, 'NOT STUPID'. He told me, using the cards, that some carers talked on their phones over him while they worked, and that one said to another that he 'doesn't understand anything anyway'. He understood. He understood every word.

Later, when the safeguarding started, the same thing happened with the professionals. The social worker spoke to his wife, Abena. The letters came addressed to his wife. At one meeting, he showed me, everyone sat facing her and not him. When I asked how that felt, he pointed to the card for 'angry', then after a while the card for 'sad', and then pushed both away.

When I asked him what he wants, we went through options one at a time. He chose: different carers, and to meet them first. Carers trained to move him properly. To be spoken to directly, slowly, and given time to answer. His own letters, short, with pictures. And to keep living at home with his wife, which he showed very firmly: a flat hand on the table, and 'HOME'.

Some of that has happened. The agency has changed, and the new carers are a small regular team he has met. His moving and handling has been reassessed. Letters are still going to his wife.

At the end of the third session I asked if there was anything he wanted the staff who work with him to know. He thought for a long time. Then he wrote 'ASK ME' and underlined it twice.""",
    },
    {
        "case_reference": "SG-2026-0033",
        "title": "Withdrawn narrative",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Tom Brennan (independent advocate, Copperfield Independent Voices)",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2026, 3, 10),
        "captured_to": None,
        "capture_method": "audio",
        "has_consent": True,
        "consent_date": date(2026, 3, 10),
        "consent_recorded_by": "Tom Brennan",
        "has_reflection_consent": False,
        "has_dissemination_consent": False,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "not_sure",
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
        "body": "",
    },
]
