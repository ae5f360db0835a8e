/** First names (by sex) and last names for the sample's customers. */

export const MALE_NAMES = [
  'Aaron', 'Adrian', 'Alan', 'Albert', 'Alejandro', 'Andre', 'Andrew', 'Anthony', 'Arjun', 'Ben', 'Brandon', 'Brian',
  'Bruno', 'Caleb', 'Carlos', 'Chen', 'Christian', 'Colin', 'Daniel', 'David', 'Diego', 'Dmitri', 'Edward', 'Elijah',
  'Eric', 'Ethan', 'Felix', 'Fernando', 'Gabriel', 'George', 'Hans', 'Hiroshi', 'Ian', 'Isaac', 'Ivan', 'Jack',
  'Jacob', 'James', 'Jamal', 'Javier', 'Jason', 'Jonas', 'Jordan', 'Jose', 'Julian', 'Kenji', 'Kevin', 'Lars',
  'Leon', 'Liam', 'Lucas', 'Luis', 'Marco', 'Mark', 'Mateo', 'Matthew', 'Max', 'Miguel', 'Mohammed', 'Nathan',
  'Nikhil', 'Noah', 'Oliver', 'Omar', 'Oscar', 'Pablo', 'Patrick', 'Paul', 'Pedro', 'Peter', 'Rafael', 'Raj',
  'Ricardo', 'Robert', 'Ryan', 'Samuel', 'Sean', 'Sebastian', 'Stefan', 'Thomas', 'Tyler', 'Victor', 'Wei', 'William',
];
export const FEMALE_NAMES = [
  'Abigail', 'Aisha', 'Alexandra', 'Alicia', 'Amanda', 'Amelia', 'Ana', 'Angela', 'Anna', 'Ava', 'Beatriz', 'Bianca',
  'Camila', 'Carmen', 'Caroline', 'Charlotte', 'Chloe', 'Claire', 'Clara', 'Daniela', 'Diana', 'Elena', 'Elise', 'Emily',
  'Emma', 'Eva', 'Fatima', 'Fiona', 'Grace', 'Hannah', 'Ingrid', 'Isabel', 'Jasmine', 'Jennifer', 'Jessica', 'Julia',
  'Katherine', 'Kayla', 'Laura', 'Leah', 'Lena', 'Lily', 'Lucia', 'Madison', 'Maria', 'Marina', 'Megan', 'Mei',
  'Mia', 'Michelle', 'Naomi', 'Natalie', 'Nina', 'Olivia', 'Paula', 'Priya', 'Rachel', 'Rebecca', 'Rosa', 'Ruth',
  'Sakura', 'Samantha', 'Sara', 'Sofia', 'Sophie', 'Stephanie', 'Susan', 'Tanya', 'Valentina', 'Victoria', 'Yuki', 'Zoe',
];
export const LAST_NAMES = [
  'Adams', 'Alvarez', 'Anderson', 'Bailey', 'Baker', 'Becker', 'Bennett', 'Brooks', 'Brown', 'Bui', 'Campbell', 'Carter',
  'Castillo', 'Chan', 'Chavez', 'Chen', 'Clark', 'Collins', 'Cook', 'Cooper', 'Cruz', 'Das', 'Davies', 'Diaz',
  'Dubois', 'Edwards', 'Evans', 'Fischer', 'Flores', 'Foster', 'Garcia', 'Gomez', 'Gonzalez', 'Gray', 'Green', 'Gupta',
  'Hall', 'Harris', 'Hernandez', 'Hill', 'Hoffmann', 'Howard', 'Hughes', 'Ito', 'Jackson', 'James', 'Jenkins', 'Jimenez',
  'Johnson', 'Jones', 'Kaur', 'Kelly', 'Kim', 'King', 'Klein', 'Kumar', 'Lambert', 'Lee', 'Lewis', 'Li',
  'Lin', 'Liu', 'Lopez', 'Martin', 'Martinez', 'Meyer', 'Miller', 'Mitchell', 'Moore', 'Morales', 'Moreau', 'Morgan',
  'Morris', 'Murphy', 'Nakamura', 'Nguyen', "O'Brien", 'Ortiz', 'Parker', 'Patel', 'Perez', 'Peterson', 'Phillips', 'Price',
  'Ramirez', 'Reed', 'Reyes', 'Richardson', 'Rivera', 'Roberts', 'Robinson', 'Rodriguez', 'Rogers', 'Ross', 'Russell', 'Sanchez',
  'Sanders', 'Schmidt', 'Schneider', 'Scott', 'Shah', 'Sharma', 'Silva', 'Singh', 'Smith', 'Sorensen', 'Stewart', 'Suzuki',
  'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Tran', 'Turner', 'Walker', 'Wang', 'Ward', 'Watson', 'Weber',
  'White', 'Williams', 'Wilson', 'Wong', 'Wood', 'Wright', 'Wu', 'Xu', 'Yamamoto', 'Yang', 'Young', 'Zhang',
  'Zhao', 'Zhou', 'Ziegler', 'Van der Berg', 'Lefebvre', 'Rossi', 'Ferrari', 'Novak', 'Kowalski', 'Larsen',
];
