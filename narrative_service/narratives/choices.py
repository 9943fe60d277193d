"""The fixed lists a narrative's fields choose from, in the words users see."""

NARRATOR_TYPES = {
    "service_user": "The person themselves",
    "advocate": "An advocate speaking for them",
    "carer": "A carer",
    "family_member": "A family member",
    "representative": "Another representative",
}

CAPTURE_METHODS = {
    "written": "Written",
    "audio": "Audio recording",
    "video": "Video recording",
    "mixed": "A mix of methods",
}

STATUSES = {"draft": "Draft", "complete": "Complete", "withdrawn": "Withdrawn"}

OUTCOMES_ASKED = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}

OUTCOMES_ACHIEVED = {
    "fully": "Fully achieved",
    "partially": "Partially achieved",
    "not_achieved": "Not achieved",
    "not_yet_known": "Not yet known",
}

PREFER_NOT_TO_SAY = "prefer_not_to_say"

AGE_BANDS = {
    "18-24": "18 to 24",
    "25-34": "25 to 34",
    "35-44": "35 to 44",
    "45-54": "45 to 54",
    "55-64": "55 to 64",
    "65-74": "65 to 74",
    "75-84": "75 to 84",
    "85+": "85 or over",
    PREFER_NOT_TO_SAY: "Prefer not to say",
}

GENDERS = {
    "woman": "Woman",
    "man": "Man",
    "non_binary": "Non-binary",
    "other": "In another way",
    PREFER_NOT_TO_SAY: "Prefer not to say",
}

# Census 2021 (England and Wales) ethnic groups, as the ONS lists them.
ETHNICITIES = {
    "asian_bangladeshi": "Asian or Asian British: Bangladeshi",
    "asian_chinese": "Asian or Asian British: Chinese",
    "asian_indian": "Asian or Asian British: Indian",
    "asian_pakistani": "Asian or Asian British: Pakistani",
    "asian_other": "Asian or Asian British: any other Asian background",
    "black_african": "Black, Black British, Caribbean or African: African",
    "black_caribbean": "Black, Black British, Caribbean or African: Caribbean",
    "black_other": "Black, Black British, Caribbean or African: any other Black background",
    "mixed_white_asian": "Mixed or multiple ethnic groups: White and Asian",
    "mixed_white_black_african": "Mixed or multiple ethnic groups: White and Black African",
    "mixed_white_black_caribbean": "Mixed or multiple ethnic groups: White and Black Caribbean",
    "mixed_other": "Mixed or multiple ethnic groups: any other mixed background",
    "white_british": "White: English, Welsh, Scottish, Northern Irish or British",
    "white_irish": "White: Irish",
    "white_gypsy_traveller": "White: Gypsy or Irish Traveller",
    "white_roma": "White: Roma",
    "white_other": "White: any other White background",
    "arab": "Other ethnic group: Arab",
    "other": "Other ethnic group: any other ethnic group",
    PREFER_NOT_TO_SAY: "Prefer not to say",
}

DISABILITY = {"yes": "Yes", "no": "No", PREFER_NOT_TO_SAY: "Prefer not to say"}

CONSENT_SCOPES = {
    "reflection": "Staff reflection: staff involved may hear the narrative",
    "dissemination": "Anonymised dissemination of what was learned",
    "board_quotes": "Anonymised quotes at board level",
}
