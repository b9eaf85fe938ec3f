"""Make emoji_sentences.csv: 440 short English sentences, each labelled with one of five emoji.

Source: every sentence below was written for this course (no third-party text), so the file is the
course's own. Labels: 0 heart (love, affection, missing someone), 1 ball (playing or watching
sport), 2 smile (joy, good news), 3 disappointed face (sadness, bad news), 4 fork and knife (food,
meals, cooking). The rule when a sentence mixes topics: the emoji a person would most likely send
with it ("I love the apple pie grandma makes" is about food, "My heart is broken" is sad).

Some sentences are deliberately hard for a model that averages word vectors: negations ("I am not
happy at all" is sad, "I am not sad anymore" is happy) and single misleading words ("love" in a
sentence about food or sport, "heart" in a sad one, "stadium" in one about food).

Contents: a header line `sentence,label,split`, then one row per sentence: the sentence (3 to 10
words of letters only, no punctuation, so no quoting is needed), its label 0-4, and `train` or
`test`. 88 sentences per label: 68 train and 20 test, drawn by a seeded permutation within each
label; rows are ordered train first, then test, each part shuffled with a fixed seed. The script
checks the counts, lengths, characters and that no sentence repeats; when datasets/glove_50d.h5
exists it also checks that every word (lower-cased) has a GloVe vector.
"""
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "emoji_sentences.csv"
SEED = 5
N_TEST_PER_LABEL = 20
EMOJI_NAMES = ["heart", "ball", "smile", "disappointed", "food"]

SENTENCES = {
    0: """I love you with all my soul
You mean the world to me
Every single day I think of you
Will you marry me
I adore my little sister
My heart belongs to you
I cannot stop thinking about you
You are the one I want forever
Sending you a big hug and kisses
I love my grandmother dearly
Happy anniversary my darling
We have been together for ten years
My family means everything to me
I fell in love with him
She is my sweetheart
Kisses from your husband
I will always care for you
You make my heart beat faster
Happy valentine to my sweetheart
I love my parents more than anything
Thinking of you with all my heart
Our first date was magical
Love you mom
My wife is the most beautiful woman
I want to hold your hand
He gave me a red rose
Forever yours my dear
I love you more every day
You are my best friend and my partner
I am deeply in love
We kissed under the stars
My dog loves me unconditionally
I cherish every moment with you
You stole my heart
My boyfriend surprised me with flowers
I am so lucky to have you
Come home soon my love
Our wedding is next month
He proposed to me on the beach
Give your brother a hug from me
I treasure our friendship
My heart is full of love for you
You are always in my thoughts
Goodnight sweetheart sleep well
He is the man of my dreams
I adore the way you smile
Hugs to the best dad in the world
You are my whole world
Romance is in the air tonight
I feel safe in your arms
My girlfriend is amazing
I will love you forever
Hugs and kisses to my nieces
Let us grow old together
I miss your warm embrace
You have a kind and loving heart
Nobody could ever replace you
I do not want to live without you
I never stopped loving you
Nothing matters more to me than you
I cannot wait to see my love again
Marry me and make me the happiest man
My darling you are so precious
I kiss my children goodnight every evening
I would never leave you
Nobody loves you more than I do
My heart skips a beat when you call
I still love you after all these years
Grandpa still holds hands with grandma
You are the sweetest husband
I fell for you at first sight
Counting the days until I see you
Your love keeps me going
I want to spend my life with you
My mum gives the warmest hugs
We are getting married in June
I love how you laugh
Even on bad days I love you
Not a day goes by without missing you
You are my favorite person
I cannot live without your hugs
You never fail to make me feel loved
No one understands me like you do
My love for you will not fade
I do not need anything but you
I care about you more than you know
Even after the fight I adore you
Please never let go of my hand""",
    1: """Let us play football after school
We won the match last night
He scored a goal in the final minute
I go running every morning
The tennis tournament starts on Monday
She is the fastest player in our squad
Our team plays again on Saturday
I love playing basketball with my friends
The coach made us run ten laps
He hit the ball out of the park
Baseball season begins next week
I swim forty lengths on Sundays
Can you throw me the ball
The referee blew the whistle
We need one more goal to win
She trains at the gym every day
He is a great goalkeeper
The stadium was full of fans
I joined the local cricket club
The race starts at nine
Who won the football game yesterday
They kicked the ball into the net
My brother plays hockey on ice
I ran a marathon last year
Pass the ball to me
The team practices three times a week
He broke the world record
I have a golf lesson tomorrow
She serves the ball very fast
Watching the cup final with dad
The players are warming up
I love the olympic games
He dribbled past three defenders
We play volleyball on the beach
The championship game is tonight
I cycled fifty miles today
That was a brilliant shot
Let us shoot some hoops
Our striker is very quick
The match ended in a draw
I bought new running shoes
She won the gold medal
We are going skiing this weekend
He boxes at the club twice a week
The umpire called him out
Their defense is really strong
My favorite sport is rugby
We did not score a single goal
He never misses a penalty
I cannot wait for the big game
The season is not over yet
I am not tired after the race
Nobody can beat our team
The pitcher threw a fast ball
Let us kick the ball around
She won the high jump
The tennis ball went over the net
He plays soccer every afternoon
The crowd cheered for the home team
I practice my free kicks
Our team is top of the league
He lifts weights at the gym
Two more laps to the finish line
I would love to see the game
The ball hit the crossbar
We are training for the relay
He did not play well on Sunday
She never loses at table tennis
The fans sang during the whole match
He caught the ball with one hand
I play squash with my uncle
Our volleyball coach is very strict
The bowler took three wickets
The goalkeeper saved the penalty
I love scoring goals
The score is tied at halftime
They are the best team in the league
The final whistle is about to blow
He trains hard for the boxing match
We cheered when the ball went in
He did not miss a single shot
We never give up until the final whistle
Nobody scored in the first half
The referee did not see the foul
I cannot wait to ride my bike
She did not finish the marathon
Our goalkeeper is not injured
The match is not on television tonight""",
    2: """I am so happy today
This is the best day ever
I got the job
We are going on holiday tomorrow
That story made me laugh
I passed all my exams
What a wonderful surprise
I feel great this morning
Everyone was smiling at the party
My birthday party was fun
Good news everyone
I am so excited about the trip
We laughed all night long
Life is good
I finally finished my project
Today was a fantastic day
I am in a very good mood
We did it at last
This is amazing news
I feel so cheerful
Thanks for making me smile
The sun is shining and I feel fine
That phone call really made my day
I got a promotion at work
That movie was so funny
I am thrilled with the results
Everything is going well
We had a lovely time at the beach
I won the lottery
My plan worked perfectly
I cannot stop laughing
I am glad you came
What a pleasant afternoon
The kids are playing happily
I feel like dancing
My exam went really well
I am not sad anymore
Nothing could ruin my mood today
I have never felt better
I could not be happier
No more worries for me
I am not worried at all
There is nothing to be sad about
My heart is full of joy
I am over the moon
The party was a huge success
I am proud of myself
We are celebrating tonight
What a beautiful sunny morning
My favorite band is coming to town
I am delighted to hear that
Smile because it is Friday
That was the funniest show I have seen
I feel lucky today
We got tickets to the concert
The news made my whole week
I love this sunny weather
Finally the weekend is here
I am happy with my new haircut
We won tickets to a great show
I am full of energy today
Laughing with my friends is the best
Best holiday ever
I do not have a care in the world
Nothing can bring me down today
I could not stop smiling
There were no problems at work today
I did not fail my exam
I am not lonely anymore
Nobody is sad at this party
I never felt so free
We finally bought our new house
Our volunteers did great work
What a lovely surprise party
I am so relieved and happy
My sister got into college
The weather is perfect for a walk
I am excited to start my new job
Everything worked out in the end
Today I feel on top of the world
I am not nervous anymore
The test was not hard at all
Nothing went wrong at the wedding
I no longer feel tired
Nobody got hurt and everyone laughed
I have no complaints at all
It was not boring at all
We did not miss the train""",
    3: """I feel so sad today
I failed my driving test
Nobody came to my party
I miss my old friends
This is so disappointing
Somebody stole my bike
My dog died yesterday
I am not happy at all
Today was a terrible day
She does not love me anymore
I feel lonely
Everything went wrong today
I did not get the job
The concert was cancelled
I am really upset with him
My heart is broken
He forgot my birthday
I cried all night
I am not feeling good
Why does this always happen to me
I failed the exam again
It is raining and I feel down
My best friend moved away
That was a sad movie
I do not enjoy anything anymore
I am so disappointed in you
Our trip was ruined
I have no friends here
He did not call me back
I feel terrible about what happened
I never win anything
My phone is broken again
I wish things were different
Nothing is going right for me
I am tired of everything
The news made me cry
I am not excited about the trip
I am sorry for your loss
It hurts so much
I feel empty inside
I missed the last bus home
Nobody listens to me
I am worried about my exams
My grandfather is in hospital
I lost my job today
I cannot sleep at night
Such a gloomy and grey day
I feel hopeless
It was not a good day
My plans fell apart
I am heartbroken
She left without saying goodbye
This is the worst day ever
I really miss home
Nobody remembered my birthday
We had to cancel our holiday
I am not in the mood
I feel so alone
Things could not be worse
I am so bored and sad
The results were not good
I regret what I said
My cat is missing
I feel awful today
I am not happy with my results
I do not feel like smiling
Nobody wanted to play with me
I did not win the prize
This was not the best day
I did not pass my exam
The party was not fun at all
I have never felt so lonely
Nothing makes me laugh anymore
My favorite mug broke this morning
I am crying in my room
My best friend ignored me today
Our holiday was a complete disaster
I hate rainy Mondays
I am so tired and miserable
He broke my heart
I am not having a good time
Nothing good ever happens to me
Nobody called me today
The movie was not funny
I never get what I want
I do not feel happy anymore
My friends did not invite me
It is not a nice feeling""",
    4: """Pizza sounds perfect for tonight
Let us have dinner together
My stomach is rumbling
This soup is delicious
What is for lunch today
I love chocolate cake
Can we order some sushi
The pasta needs more salt
I had eggs for breakfast
Let us grab a burger
She bakes amazing bread
The restaurant serves great steak
I am cooking rice and beans
Would you like some ice cream
The chicken is in the oven
Please pass the butter
I drink coffee every morning
Fresh fruit for dessert
We are having fish tonight
This sandwich tastes great
I made pancakes for everyone
Let us go out for a meal
Dinner is ready
I need a snack
The cookies smell wonderful
I could eat a horse
Add some cheese to the salad
Two coffees and a croissant please
My mother makes the best curry
I am not hungry yet
I do not like spicy food
There is no milk in the fridge
We never eat meat
Breakfast is the best meal of the day
I love the apple pie grandma makes
Let us bake a cake
The noodles are too hot
He ate the whole pizza
Do you want tea or juice
The vegetables are fresh from the garden
I am craving french fries
The waiter brought our food
Grilled salmon with lemon
We had a picnic in the park
I skipped lunch today
The bakery opens at seven
Pour me a glass of orange juice
I ate too much chocolate
This recipe needs two eggs
Taco night at our house
Let us cook something together
The menu looks tasty
Can I have some more potatoes
Our kitchen smells of garlic
I want a bowl of cereal
The tomato sauce is homemade
Hot dogs at the stadium
Let us have a barbecue on Saturday
I prefer my steak well done
Lunch at the cafe around the corner
We need bread and milk
She is a fantastic cook
I ate popcorn at the cinema
The soup was cold and salty
I am not a fan of broccoli
We do not have any bread left
I could eat pasta every day
The pizza delivery is late
I would love a cup of hot chocolate
This curry is too spicy for me
Let us try the new Thai restaurant
The strawberries are so sweet
Can you peel the potatoes
The steak was cooked perfectly
I had a sandwich at the game
My favorite snack is popcorn
Grandma makes the best soup
We ate noodles with chopsticks
Mix the flour with two eggs
Dessert was a slice of lemon cake
I do not eat breakfast on weekdays
There is no sugar in my coffee
Nobody touched the vegetable soup
I never say no to dessert
We did not order enough pizza
Do not burn the toast
The bread is not fresh anymore
I cannot resist fried chicken""",
}


def validate(rows):
    """Raise ValueError when the counts, lengths, characters or uniqueness are off."""
    seen = set()
    for sentence, label in rows:
        words = sentence.split()
        if not 3 <= len(words) <= 10:
            raise ValueError(f"{sentence!r}: {len(words)} words, expected 3 to 10")
        if not all(w.isalpha() and w.isascii() for w in words) or " ".join(words) != sentence:
            raise ValueError(f"{sentence!r}: only letters and single spaces are allowed")
        key = sentence.lower()
        if key in seen:
            raise ValueError(f"{sentence!r} appears twice")
        seen.add(key)
    counts = np.bincount([label for _, label in rows], minlength=len(EMOJI_NAMES))
    if len(set(counts)) != 1:
        raise ValueError(f"labels are not balanced: {counts}")


def check_glove(rows):
    """Every lower-cased word must be in glove_50d.h5 (skipped when that file does not exist)."""
    path = HERE / "glove_50d.h5"
    if not path.exists():
        print("glove_50d.h5 not found: vocabulary not checked")
        return
    import h5py
    with h5py.File(path, "r") as f:
        known = {w.decode() if isinstance(w, bytes) else w for w in f["words"][()]}
    missing = sorted({w for s, _ in rows for w in s.lower().split()} - known)
    if missing:
        raise ValueError("words without a GloVe vector (append them to glove_extra_words.txt and "
                         f"rerun make_glove.py): {' '.join(missing)}")


def split(rows):
    """(train rows, test rows): N_TEST_PER_LABEL of each label to test, by a seeded permutation."""
    rng = np.random.default_rng(SEED)
    train, test = [], []
    for label in range(len(EMOJI_NAMES)):
        mine = [r for r in rows if r[1] == label]
        order = rng.permutation(len(mine))
        test += [mine[i] for i in order[:N_TEST_PER_LABEL]]
        train += [mine[i] for i in order[N_TEST_PER_LABEL:]]
    train = [train[i] for i in rng.permutation(len(train))]
    test = [test[i] for i in rng.permutation(len(test))]
    return train, test


def main():
    rows = [(line.strip(), label) for label, block in SENTENCES.items() for line in block.splitlines()]
    validate(rows)
    check_glove(rows)
    train, test = split(rows)
    lines = ["sentence,label,split"]
    lines += [f"{s},{label},train" for s, label in train] + [f"{s},{label},test" for s, label in test]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(train)} train + {len(test)} test sentences, "
          f"{len(rows) // len(EMOJI_NAMES)} per label)")


if __name__ == "__main__":
    main()
